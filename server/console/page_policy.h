// The security headers of every console answer. The page is one file whose
// script and style are inline, so its Content-Security-Policy allows exactly
// those (by their SHA-256, computed from the embedded page, so editing
// console.html keeps them in step) and fetches from its own origin, and
// nothing else: no other script, no frames around it, no referrer sent.
#pragma once

#include <string>
#include <string_view>

namespace jormun::console {

// The Content-Security-Policy for `page`: a hash source for each of its
// <script> and <style> elements' text.
std::string content_security_policy(std::string_view page);

// The header lines ("Name: value\r\n" each) for the embedded page, made
// once: Content-Security-Policy, X-Content-Type-Options, X-Frame-Options,
// Referrer-Policy and Cache-Control.
std::string_view security_headers();

}  // namespace jormun::console
