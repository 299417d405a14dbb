#include "http/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <new>
#include <stdexcept>

namespace jormun::http {
namespace {

// windowBits 15 plus 16 selects the gzip wrapper instead of zlib's.
constexpr int kGzipWindowBits = 15 + 16;
constexpr std::size_t kInflateChunk = 64 * 1024;

// Owns an inflate stream so every exit path releases zlib's state.
class Inflater {
 public:
  Inflater() {
    if (inflateInit2(&z_, kGzipWindowBits) != Z_OK) throw std::bad_alloc();
  }
  ~Inflater() { inflateEnd(&z_); }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  z_stream* get() { return &z_; }

 private:
  z_stream z_{};
};

}  // namespace

GunzipStatus gunzip(std::string_view in, std::size_t max_out, std::string& out) {
  out.clear();
  if (in.empty()) return GunzipStatus::kCorrupt;
  Inflater inflater;
  z_stream* z = inflater.get();
  z->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z->avail_in = static_cast<uInt>(in.size());
  for (;;) {
    const std::size_t produced = out.size();
    // One byte beyond the cap is enough to tell "exactly at" from "over".
    const std::size_t room = std::min(kInflateChunk, max_out + 1 - produced);
    out.resize(produced + room);
    z->next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    z->avail_out = static_cast<uInt>(room);
    const int rc = inflate(z, Z_NO_FLUSH);
    out.resize(out.size() - z->avail_out);
    if (out.size() > max_out) return GunzipStatus::kTooLarge;
    if (rc == Z_STREAM_END) {
      if (z->avail_in == 0) return GunzipStatus::kOk;
      // Another member follows; a member that fails to start is garbage.
      if (inflateReset(z) != Z_OK) return GunzipStatus::kCorrupt;
      continue;
    }
    if (rc == Z_BUF_ERROR && z->avail_in == 0) return GunzipStatus::kCorrupt;
    if (rc != Z_OK && rc != Z_BUF_ERROR) return GunzipStatus::kCorrupt;
  }
}

std::string gzip(std::string_view in) {
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::bad_alloc();
  }
  std::string out(deflateBound(&z, static_cast<uLong>(in.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  // deflateBound guarantees one Z_FINISH call completes the stream.
  const int rc = deflate(&z, Z_FINISH);
  out.resize(out.size() - z.avail_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("gzip: deflate did not finish");
  return out;
}

}  // namespace jormun::http
