#include "ops/tag_rules.h"

#include <locale.h>
#include <wctype.h>

#include <algorithm>

#include "common/api_error.h"

namespace jormun::ops {
namespace {

// Decodes the next UTF-8 code point of `s` at `i` (the request's JSON was
// checked to be valid UTF-8 at the front door).
char32_t next_code_point(std::string_view s, size_t& i) {
  const auto b = static_cast<unsigned char>(s[i++]);
  int more = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
  char32_t c = more == 3 ? b & 0x07 : more == 2 ? b & 0x0F : more == 1 ? b & 0x1F : b;
  for (; more > 0 && i < s.size(); --more)
    c = (c << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
  return c;
}

// Unicode's space separators (\p{Z}); glibc's iswspace leaves out the
// no-break ones, which AWS's pattern accepts.
bool space_separator(char32_t c) {
  return c == 0x20 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
         c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// Letters and numbers of every script, from glibc's C.UTF-8 classification.
bool letter_or_number(char32_t c) {
  static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t{});
  if (c < 0x80)
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  // Without the locale (a libc without C.UTF-8), non-ASCII is taken as is.
  if (utf8 == locale_t{}) return true;
  return iswalnum_l(static_cast<wint_t>(c), utf8) != 0;
}

bool allowed(char32_t c) {
  static constexpr std::u32string_view kPunctuation = U"_.:/=+-@";
  return letter_or_number(c) || space_separator(c) ||
         kPunctuation.find(c) != std::u32string_view::npos;
}

std::string shown(const std::optional<std::string>& s) { return s ? *s : "null"; }

[[noreturn]] void invalid_key(const std::optional<std::string>& key) {
  throw ApiError::validation("The Tag Key provided is invalid, Key: " + shown(key));
}

[[noreturn]] void too_many() {
  throw ApiError::validation(
      "Number of Tags exceed the current limit for the provided ResourceArn");
}

bool valid_key(const std::optional<std::string>& key) {
  return key && valid_tag_text(*key, 1, kMaxTagKeyLength);
}

}  // namespace

bool valid_tag_text(std::string_view text, size_t min_chars, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++chars)
    if (!allowed(next_code_point(text, i))) return false;
  return chars >= min_chars && chars <= max_chars;
}

std::vector<storage::Tag> check_tags(const std::vector<TagInput>& tags) {
  std::vector<storage::Tag> out;
  for (const auto& t : tags) {
    if (!valid_key(t.key)) invalid_key(t.key);
    if (t.key->starts_with("aws:"))
      throw ApiError::validation("Tag Key cannot be prefixed with aws:, Key: " + *t.key);
    if (!t.value || !valid_tag_text(*t.value, 0, kMaxTagValueLength))
      throw ApiError::validation("The Tag Value provided is invalid, Value: " +
                                 shown(t.value));
    if (std::any_of(out.begin(), out.end(),
                    [&](const auto& o) { return o.key == *t.key; }))
      throw ApiError::validation(
          "Duplicate Tag Keys provided as input: Duplicate Tag Key found " + *t.key);
    out.push_back({*t.key, *t.value});
  }
  return out;
}

std::vector<std::string> check_tag_keys(
    const std::vector<std::optional<std::string>>& keys) {
  if (keys.size() > kMaxTags) too_many();
  std::vector<std::string> out;
  for (const auto& k : keys) {
    if (!valid_key(k)) invalid_key(k);
    out.push_back(*k);
  }
  return out;
}

std::vector<storage::Tag> merge_tags(std::vector<storage::Tag> current,
                                     const std::vector<storage::Tag>& added) {
  for (const auto& a : added) {
    auto it = std::find_if(current.begin(), current.end(),
                           [&](const auto& c) { return c.key == a.key; });
    if (it != current.end())
      it->value = a.value;
    else
      current.push_back(a);
  }
  if (current.size() > kMaxTags) too_many();
  return current;
}

std::vector<storage::Tag> remove_tags(std::vector<storage::Tag> current,
                                      const std::vector<std::string>& keys) {
  std::erase_if(current, [&](const storage::Tag& t) {
    return std::find(keys.begin(), keys.end(), t.key) != keys.end();
  });
  return current;
}

TagPage page_tags(const std::vector<storage::Tag>& tags,
                  std::optional<std::string_view> next_token, size_t page_size) {
  // The token is the position of the page's first tag, in decimal.
  size_t start = 0;
  if (next_token) {
    const std::string_view t = *next_token;
    const bool digits =
        !t.empty() && t.size() < 10 &&
        std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || std::stoul(std::string(t)) > tags.size())
      throw ApiError::validation("Invalid NextToken: " + std::string(t));
    start = std::stoul(std::string(t));
  }
  TagPage page;
  const size_t end = std::min(tags.size(), start + page_size);
  page.tags.assign(tags.begin() + static_cast<std::ptrdiff_t>(start),
                   tags.begin() + static_cast<std::ptrdiff_t>(end));
  if (end < tags.size()) page.next_token = std::to_string(end);
  return page;
}

}  // namespace jormun::ops
