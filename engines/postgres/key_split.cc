#include "key_split.h"

#include <openssl/evp.h>

#include <jormun/plugin.hpp>

namespace jormun::postgres {

SplitKey split_key(std::string_view key) {
  SplitKey s;
  s.p = key.substr(0, kPrefix);
  s.rest = key.size() > kPrefix ? key.substr(kPrefix) : std::string_view();
  if (!s.rest.empty()) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(s.rest.data(), s.rest.size(), digest, &n, EVP_sha256(), nullptr) != 1)
      throw plugin::Error(JORMUN_INTERNAL, "postgres: SHA-256 failed");
    s.h.assign(reinterpret_cast<const char*>(digest), n);
  }
  return s;
}

}  // namespace jormun::postgres
