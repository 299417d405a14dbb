// fs_sync.h -- fsync of paths SQLite does not sync for us.
#ifndef JORMUN_ENGINES_SQLITE_FS_SYNC_H
#define JORMUN_ENGINES_SQLITE_FS_SYNC_H

#include <string>

namespace jormun::sqlite {

// fsyncs a file or a directory (to make file creations and renames in it
// durable). Throws JORMUN_IO_ERROR on failure.
void sync_path(const std::string& path);

}  // namespace jormun::sqlite

#endif  // JORMUN_ENGINES_SQLITE_FS_SYNC_H
