// DynamoDB's rules for resource tags, apart from any table: what
// TagResource, UntagResource and CreateTable's Tags accept, how a tag set
// changes, and how ListTagsOfResource pages it. Every refusal is a
// ValidationException with DynamoDB's text (docs/tags.md).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/table_schema.h"

namespace jormun::ops {

inline constexpr size_t kMaxTags = 50;             // per resource, after a change
inline constexpr size_t kMaxTagKeyLength = 128;    // characters
inline constexpr size_t kMaxTagValueLength = 256;  // characters
// Tags per ListTagsOfResource page. DynamoDB answers at least 40 in one
// page (tests run against it list 40 at once), so a page holds the most a
// table can have and NextToken only continues a page size a test chooses.
inline constexpr size_t kTagsPerPage = kMaxTags;

// One element of a Tags list as given: Key or Value may be absent.
struct TagInput {
  std::optional<std::string> key;
  std::optional<std::string> value;
};

// True when `text` has min..max characters (code points), each a letter, a
// number, a space separator or one of _ . : / = + - @ (AWS's tag pattern
// ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$).
bool valid_tag_text(std::string_view text, size_t min_chars, size_t max_chars);

// The tags of a TagResource or CreateTable request, checked one by one in
// request order: the key, its "aws:" prefix, the value, a key given twice.
std::vector<storage::Tag> check_tags(const std::vector<TagInput>& tags);

// The keys of an UntagResource request: at most kMaxTags, each a valid key.
std::vector<std::string> check_tag_keys(
    const std::vector<std::optional<std::string>>& keys);

// `current` with `added` upserted (a new key goes last, a known one keeps
// its place). Throws when the result has more than kMaxTags tags.
std::vector<storage::Tag> merge_tags(std::vector<storage::Tag> current,
                                     const std::vector<storage::Tag>& added);

// `current` without `keys`; absent keys are no error.
std::vector<storage::Tag> remove_tags(std::vector<storage::Tag> current,
                                      const std::vector<std::string>& keys);

struct TagPage {
  std::vector<storage::Tag> tags;
  std::optional<std::string> next_token;  // set when tags remain
};

// The page of `tags` that starts at `next_token` (a token an earlier page
// returned; absent: the first page). Throws for a token no page returned.
TagPage page_tags(const std::vector<storage::Tag>& tags,
                  std::optional<std::string_view> next_token,
                  size_t page_size = kTagsPerPage);

}  // namespace jormun::ops
