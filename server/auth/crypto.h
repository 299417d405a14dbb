// The hashes SigV4 is built from, over OpenSSL (libcrypto).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace jormun::auth {

using Digest = std::array<std::uint8_t, 32>;

Digest sha256(std::string_view data);
Digest hmac_sha256(std::string_view key, std::string_view data);
// Lower-case hex, as SigV4 writes hashes and signatures.
std::string hex(const Digest& digest);
// Compares in time independent of where the texts differ, so a client cannot
// find a valid signature byte by byte from answer times.
bool equal_in_constant_time(std::string_view a, std::string_view b);

}  // namespace jormun::auth
