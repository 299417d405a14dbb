#include "fs_sync.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <jormun/plugin.hpp>

namespace jormun::sqlite {

void sync_path(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    int error = errno;
    if (fd >= 0) ::close(fd);
    throw plugin::Error(JORMUN_IO_ERROR,
                        "sqlite: fsync " + path + ": " + std::strerror(error));
  }
  ::close(fd);
}

}  // namespace jormun::sqlite
