#include "console/page_policy.h"

#include "auth/crypto.h"
#include "console/page_html.h"
#include "model/base64.h"

namespace jormun::console {
namespace {

// " 'sha256-...'" for the text of each <tag>...</tag> of `page`, as CSP
// hashes an inline element: its text exactly, without the tags.
std::string hash_sources(std::string_view page, std::string_view tag) {
  const std::string open = "<" + std::string(tag) + ">";
  const std::string close = "</" + std::string(tag) + ">";
  std::string sources;
  for (size_t at = page.find(open); at != std::string_view::npos; at = page.find(open, at)) {
    const size_t start = at + open.size();
    const size_t end = page.find(close, start);
    if (end == std::string_view::npos) break;
    const auth::Digest digest = auth::sha256(page.substr(start, end - start));
    sources += " 'sha256-" +
               model::base64_encode({reinterpret_cast<const char*>(digest.data()),
                                     digest.size()}) +
               "'";
    at = end + close.size();
  }
  return sources;
}

}  // namespace

std::string content_security_policy(std::string_view page) {
  // connect-src: the API (POST /), /metrics and server.json. img-src data:
  // for the empty favicon, which keeps the browser from asking for one.
  return "default-src 'none'; script-src" + hash_sources(page, "script") +
         "; style-src" + hash_sources(page, "style") +
         "; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; "
         "frame-ancestors 'none'";
}

std::string_view security_headers() {
  static const std::string headers =
      "Content-Security-Policy: " + content_security_policy(kPageHtml) +
      "\r\n"
      "X-Content-Type-Options: nosniff\r\n"
      // frame-ancestors above, for browsers that predate it.
      "X-Frame-Options: DENY\r\n"
      "Referrer-Policy: no-referrer\r\n"
      // Items and table names are data: nothing of it stays in a cache.
      "Cache-Control: no-store\r\n";
  return headers;
}

}  // namespace jormun::console
