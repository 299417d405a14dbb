#include "admin/export_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace jormun::admin {
namespace {

constexpr size_t kChunk = 1 << 16;

std::string gz_error(gzFile file, const std::string& path) {
  int code = 0;
  const char* text = gzerror(file, &code);
  if (code == Z_ERRNO) return path + ": " + std::strerror(errno);
  return path + ": " + (text != nullptr ? text : "gzip error");
}

}  // namespace

bool is_gzip_name(std::string_view path) { return path.ends_with(".gz"); }

LineReader::LineReader(const std::string& path) : path_(path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw std::runtime_error(path + ": is a directory");
  file_ = gzopen(path.c_str(), "rb");
  if (file_ == nullptr) throw std::runtime_error(path + ": " + std::strerror(errno));
  gzbuffer(file_, kChunk);
  size_ = std::filesystem::file_size(path, ec);
}

LineReader::~LineReader() {
  if (file_ != nullptr) gzclose(file_);
}

bool LineReader::fill() {
  if (eof_) return false;
  buffer_.erase(0, start_);
  start_ = 0;
  const size_t old = buffer_.size();
  buffer_.resize(old + kChunk);
  const int got = gzread(file_, buffer_.data() + old, kChunk);
  if (got < 0) throw std::runtime_error(gz_error(file_, path_));
  buffer_.resize(old + static_cast<size_t>(got));
  if (got == 0) {
    // gzread returns 0 at the end, and also on a stream cut short.
    int code = 0;
    gzerror(file_, &code);
    if (code != Z_OK && code != Z_BUF_ERROR) throw std::runtime_error(gz_error(file_, path_));
    if (code == Z_BUF_ERROR)
      throw std::runtime_error(path_ + ": the gzip stream ends early (a truncated file)");
    eof_ = true;
  }
  return got > 0;
}

bool LineReader::next(std::string& line) {
  for (;;) {
    const size_t nl = buffer_.find('\n', start_);
    if (nl != std::string::npos) {
      line.assign(buffer_, start_, nl - start_);
      start_ = nl + 1;
      break;
    }
    if (!fill()) {
      if (start_ == buffer_.size()) return false;
      line.assign(buffer_, start_);  // a last line without '\n'
      start_ = buffer_.size();
      break;
    }
  }
  if (line.ends_with('\r')) line.pop_back();
  return true;
}

uint64_t LineReader::position() const {
  const long offset = gzoffset(file_);
  return offset < 0 ? 0 : static_cast<uint64_t>(offset);
}

LineWriter::LineWriter(const std::string& path) : path_(path) {
  if (path == "-") {
    plain_ = stdout;
  } else if (is_gzip_name(path)) {
    gz_ = gzopen(path.c_str(), "wb6");
    if (gz_ == nullptr) throw std::runtime_error(path + ": " + std::strerror(errno));
    gzbuffer(gz_, kChunk);
  } else {
    plain_ = std::fopen(path.c_str(), "wb");
    if (plain_ == nullptr) throw std::runtime_error(path + ": " + std::strerror(errno));
  }
}

LineWriter::~LineWriter() {
  try {
    close();
  } catch (const std::exception&) {
    // Only a close() the caller skipped gets here, on a path already failing.
  }
}

void LineWriter::write(std::string_view text) {
  if (text.empty()) return;
  if (gz_ != nullptr) {
    if (gzwrite(gz_, text.data(), static_cast<unsigned>(text.size())) == 0)
      throw std::runtime_error(gz_error(gz_, path_));
  } else if (std::fwrite(text.data(), 1, text.size(), plain_) != text.size()) {
    throw std::runtime_error(path_ + ": " + std::strerror(errno));
  }
}

void LineWriter::close() {
  if (gz_ != nullptr) {
    const int rc = gzclose(gz_);
    gz_ = nullptr;
    if (rc != Z_OK) throw std::runtime_error(path_ + ": cannot finish the gzip stream");
  } else if (plain_ != nullptr) {
    FILE* f = plain_;
    plain_ = nullptr;
    const bool ok = f == stdout ? std::fflush(f) == 0 : std::fclose(f) == 0;
    if (!ok) throw std::runtime_error(path_ + ": " + std::strerror(errno));
  }
}

}  // namespace jormun::admin
