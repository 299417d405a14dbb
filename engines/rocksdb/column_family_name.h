// Keyspace names as RocksDB column family names.
//
// Keyspace names are arbitrary bytes, but RocksDB writes column family names
// into its text OPTIONS file and reserves "default". A keyspace therefore
// lives in the column family "ks_" + its name with every byte outside
// [A-Za-z0-9._-] written as %XX. The mapping is on disk: never change it.
#ifndef JORMUN_ROCKSDB_COLUMN_FAMILY_NAME_H
#define JORMUN_ROCKSDB_COLUMN_FAMILY_NAME_H

#include <optional>
#include <string>
#include <string_view>

namespace jormun::rocks {

std::string column_family_for(std::string_view keyspace);

// The keyspace a column family holds, or std::nullopt when the name was not
// made by column_family_for (e.g. "default").
std::optional<std::string> keyspace_for(std::string_view column_family);

}  // namespace jormun::rocks

#endif
