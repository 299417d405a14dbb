#include "instance_id.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <jormun/plugin.hpp>
#include <random>

namespace jormun::postgres {
namespace {

// DO NOT CHANGE: existing instance directories hold this file.
constexpr const char* kFile = "postgres-instance";

[[noreturn]] void io_error(const std::string& what, const std::string& path) {
  throw plugin::Error(JORMUN_IO_ERROR,
                      "postgres: " + what + " '" + path + "': " + std::strerror(errno));
}

void fsync_path(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags);
  if (fd < 0) io_error("cannot open", path);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) io_error("cannot sync", path);
}

// "device:inode" of `dir`.
std::string identity_of(const std::string& dir) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) io_error("cannot stat", dir);
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

bool valid(const std::string& id) {
  if (id.size() != 16) return false;
  for (char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

std::string random_id() {
  static const char kHex[] = "0123456789abcdef";
  std::random_device device;
  uint64_t n = (uint64_t{device()} << 32) ^ device();
  std::string id(16, '0');
  for (int i = 15; i >= 0; --i, n >>= 4) id[i] = kHex[n & 15];
  return id;
}

void store_id(const std::string& dir, const std::string& id) {
  const std::string path = dir + "/" + kFile, temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << id << "\n" << identity_of(dir) << "\n";
    out.flush();
    if (!out) io_error("cannot write", temp);
  }
  fsync_path(temp, O_RDONLY);
  if (::rename(temp.c_str(), path.c_str()) != 0) io_error("cannot rename", temp);
  fsync_path(dir, O_RDONLY | O_DIRECTORY);
}

StoredId load_or_create_id(const std::string& dir) {
  const std::string path = dir + "/" + kFile;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && !ec) {
    std::string id = random_id();
    store_id(dir, id);
    return {id, false};
  }
  std::ifstream in(path);
  if (!in) io_error("cannot read", path);
  std::string id, identity;
  std::getline(in, id);
  std::getline(in, identity);
  if (!valid(id))
    throw plugin::Error(JORMUN_CORRUPTION, "postgres: '" + path + "' holds no instance id");
  return {id, identity != identity_of(dir)};
}

}  // namespace jormun::postgres
