// The console's web page, console.html, embedded at build time
// (server/CMakeLists.txt writes page_html.cc from page_html.cc.in), so the
// server needs no file beside it and the page stays editable as HTML.
#pragma once

#include <string_view>

namespace jormun::console {

extern const std::string_view kPageHtml;

}  // namespace jormun::console
