// The files of DynamoDB's export format: text lines, gzip-compressed when
// the file's name ends in ".gz" (as DynamoDB's S3 export names its
// data/*.json.gz files).
#pragma once

#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace jormun::admin {

// Reads a file line by line. Decompresses gzip whatever the name (zlib reads
// a plain file as it is), so a renamed export still loads.
class LineReader {
 public:
  // Throws std::runtime_error naming the file when it cannot be opened.
  explicit LineReader(const std::string& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line without its '\n' (or "\r\n"); false at the end. Throws
  // std::runtime_error on a read error or a damaged gzip stream.
  bool next(std::string& line);
  // Bytes of the file consumed so far (compressed bytes for gzip) and the
  // file's size: what a progress bar can tell of an import.
  uint64_t position() const;
  uint64_t size() const { return size_; }

 private:
  bool fill();

  std::string path_;
  gzFile file_ = nullptr;
  uint64_t size_ = 0;
  std::string buffer_;
  size_t start_ = 0;
  bool eof_ = false;
};

// Writes lines to a file, or to standard output for "-"; gzip when the name
// ends in ".gz".
class LineWriter {
 public:
  // Throws std::runtime_error naming the file when it cannot be created.
  explicit LineWriter(const std::string& path);
  ~LineWriter();
  LineWriter(const LineWriter&) = delete;
  LineWriter& operator=(const LineWriter&) = delete;

  // `text` is one or more whole lines, each ending in '\n'.
  void write(std::string_view text);
  // Flushes and, for gzip, writes the stream's end; the destructor does it
  // too but cannot report a failure. Throws std::runtime_error.
  void close();

 private:
  std::string path_;
  gzFile gz_ = nullptr;
  FILE* plain_ = nullptr;
};

bool is_gzip_name(std::string_view path);

}  // namespace jormun::admin
