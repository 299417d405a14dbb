// key_split.h -- how a key of up to ~7.2 KB is stored in a B-tree that takes
// index entries of at most ~2.7 KB.
//
// PostgreSQL's B-tree refuses index tuples over a third of a page (2704
// bytes with 8 KB pages), and the host writes keys of up to about 7.2 KB. So
// a key is stored as three columns:
//   p     its first kPrefix bytes (the whole key when shorter),
//   rest  the bytes after them (empty for almost every key),
//   h     SHA-256 of rest, or empty when rest is: (p, h) is the primary key,
//         which stays under the limit and is unique as long as SHA-256 has
//         no collision.
// Why (p, rest) ordered lexicographically is the byte order of keys: p is a
// fixed-length kPrefix bytes whenever rest is not empty, so comparing (p,
// rest) pair-wise compares the same bytes in the same order as comparing
// the keys; a key shorter than kPrefix is its own p with an empty rest, and
// either differs from the other key's p within its length or is a prefix of
// it (then of the other key too). Ranges therefore use the row comparison
// (p, rest) > ($p, $rest), plus p >= $p for the index (taking a prefix is
// monotonic, so it filters nothing out).
#ifndef JORMUN_POSTGRES_KEY_SPLIT_H
#define JORMUN_POSTGRES_KEY_SPLIT_H

#include <cstddef>
#include <string>
#include <string_view>

namespace jormun::postgres {

// DO NOT CHANGE: stored data depends on it.
inline constexpr size_t kPrefix = 2048;

struct SplitKey {
  std::string_view p;
  std::string_view rest;
  std::string h;  // SHA-256 of rest, or empty
};

// Splits `key` (which must outlive the result).
SplitKey split_key(std::string_view key);

}  // namespace jormun::postgres

#endif  // JORMUN_POSTGRES_KEY_SPLIT_H
