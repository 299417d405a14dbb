#include "console/console.h"

#include "common/json_writer.h"
#include "console/page_html.h"
#include "console/page_policy.h"

namespace jormun::console {
namespace {

std::string server_json(const config::Config& config) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("region");
  w.String(config.region);
  w.Key("authMode");
  w.String(config.auth.mode == config::AuthMode::kNone ? "none" : "sigv4");
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace

Answer answer(std::string_view target, const config::Config& config) {
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == "/console" || path == "/console/")
    return {200, "text/html; charset=utf-8", std::string(kPageHtml), security_headers()};
  if (path == "/console/server.json")
    return {200, "application/json", server_json(config), security_headers()};
  return {404, "text/plain; charset=utf-8",
          std::string(path) + " is not a page of the console", security_headers()};
}

}  // namespace jormun::console
