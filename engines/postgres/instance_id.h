// instance_id.h -- which rows of the database belong to an instance.
//
// The host gives every instance a directory of its own; this engine keeps
// its data in the database, so the directory holds only the instance's
// identity: a file naming the random id under which its keyspaces are
// registered (sql.h). Reopening the directory finds the same keyspaces; a
// checkpoint is a directory naming the id of a copy.
#ifndef JORMUN_POSTGRES_INSTANCE_ID_H
#define JORMUN_POSTGRES_INSTANCE_ID_H

#include <string>

namespace jormun::postgres {

// A new random id: 16 lower-case hex digits.
std::string random_id();

// The id stored in `dir`, or a new one stored there first (durably: temp
// file, fsync, rename, fsync of the directory). Throws plugin::Error
// (JORMUN_IO_ERROR) when the file cannot be read or written, and
// (JORMUN_CORRUPTION) when it does not hold an id.
std::string load_or_create_id(const std::string& dir);

// Stores `id` in `dir` as load_or_create_id would.
void store_id(const std::string& dir, const std::string& id);

}  // namespace jormun::postgres

#endif  // JORMUN_POSTGRES_INSTANCE_ID_H
