// mutation.h -- one put or delete on its way into a partition file.
#ifndef JORMUN_ENGINES_SQLITE_MUTATION_H
#define JORMUN_ENGINES_SQLITE_MUTATION_H

#include <cstdint>
#include <string_view>

namespace jormun::sqlite {

// Borrowed bytes: valid as long as the batch (or replayed intent) it came
// from.
struct Mutation {
  uint32_t kind;       // JORMUN_OP_PUT or JORMUN_OP_DELETE
  uint32_t partition;  // PartitionMap::of(key)
  int64_t keyspace;    // keyspace id from the metadata file
  std::string_view key;
  std::string_view value;  // empty for deletes
};

}  // namespace jormun::sqlite

#endif  // JORMUN_ENGINES_SQLITE_MUTATION_H
