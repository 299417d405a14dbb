#include "http/message.h"

namespace jormun::http {

std::string_view Request::header(std::string_view name) const {
  const auto it = headers_.find(name);
  return it == headers_.end() ? std::string_view{} : std::string_view{it->value()};
}

}  // namespace jormun::http
