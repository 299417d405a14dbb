// instance_id.h -- which rows of the database belong to an instance.
//
// The host gives every instance a directory of its own; this engine keeps
// its data in the database, so the directory holds only the instance's
// identity: a file naming the random id under which its keyspaces are
// registered (sql.h). Reopening the directory finds the same keyspaces; a
// checkpoint is a directory naming the id of a copy.
//
// The host also copies directories (a restore copies a backup's files into
// the new table's folder, then drops what the new table must not inherit)
// and expects the copy to be an instance of its own. A copied file would
// name the same id, and the restored table would share, and drop, the
// backup's keyspaces. So the file also names the directory it was written
// for (device and inode: a rename keeps them, a copy does not), and an
// open that finds another directory's file reports it, for the instance to
// fork: copy the keyspaces under a new id (checkpoint.cc).
#ifndef JORMUN_POSTGRES_INSTANCE_ID_H
#define JORMUN_POSTGRES_INSTANCE_ID_H

#include <string>

namespace jormun::postgres {

// A new random id: 16 lower-case hex digits.
std::string random_id();

struct StoredId {
  std::string id;
  bool copied = false;  // the file was written for another directory
};

// The id stored in `dir`, or a new one stored there first (durably: temp
// file, fsync, rename, fsync of the directory). Throws plugin::Error
// (JORMUN_IO_ERROR) when the file cannot be read or written, and
// (JORMUN_CORRUPTION) when it does not hold an id.
StoredId load_or_create_id(const std::string& dir);

// Stores `id` in `dir` as load_or_create_id would, for this directory.
void store_id(const std::string& dir, const std::string& id);

}  // namespace jormun::postgres

#endif  // JORMUN_POSTGRES_INSTANCE_ID_H
