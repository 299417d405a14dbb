#include "http/content_coding.h"

#include <zlib.h>

#include <algorithm>
#include <boost/beast/core/string.hpp>
#include <new>
#include <stdexcept>

namespace jormun::http {
namespace {

// zlib's windowBits select the wrapper: 15 the zlib format, 15 + 16 gzip's,
// -15 none (raw deflate).
constexpr int kZlibWindowBits = 15;
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kRawWindowBits = -15;
constexpr std::size_t kInflateChunk = 64 * 1024;

// Owns an inflate stream so every exit path releases zlib's state.
class Inflater {
 public:
  explicit Inflater(int window_bits) {
    if (inflateInit2(&z_, window_bits) != Z_OK) throw std::bad_alloc();
  }
  ~Inflater() { inflateEnd(&z_); }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  z_stream* get() { return &z_; }

 private:
  z_stream z_{};
};

// RFC 1950, 2.2: compression method 8 with a window of at most 32 KiB, and
// the two header bytes a multiple of 31. Raw deflate data rarely passes both.
bool has_zlib_header(std::string_view in) {
  if (in.size() < 2) return false;
  const auto cmf = static_cast<unsigned char>(in[0]);
  const auto flg = static_cast<unsigned char>(in[1]);
  return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && (cmf * 256 + flg) % 31 == 0;
}

// `members`: after the end of one stream, another may follow (gzip).
DecodeStatus inflate_all(std::string_view in, int window_bits, bool members,
                         std::size_t max_out, std::string& out) {
  out.clear();
  if (in.empty()) return DecodeStatus::kCorrupt;
  Inflater inflater(window_bits);
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
    if (out.size() > max_out) return DecodeStatus::kTooLarge;
    if (rc == Z_STREAM_END) {
      if (z->avail_in == 0) return DecodeStatus::kOk;
      // Another member follows; one that fails to start is garbage.
      if (!members || inflateReset(z) != Z_OK) return DecodeStatus::kCorrupt;
      continue;
    }
    if (rc == Z_BUF_ERROR && z->avail_in == 0) return DecodeStatus::kCorrupt;
    if (rc != Z_OK && rc != Z_BUF_ERROR) return DecodeStatus::kCorrupt;
  }
}

}  // namespace

std::string_view coding_name(Coding coding) {
  switch (coding) {
    case Coding::kGzip:
      return "gzip";
    case Coding::kDeflate:
      return "deflate";
    case Coding::kIdentity:
      break;
  }
  return "identity";
}

std::optional<Coding> parse_content_encoding(std::string_view value) {
  const auto first = value.find_first_not_of(" \t");
  if (first == std::string_view::npos) return Coding::kIdentity;
  value = value.substr(first, value.find_last_not_of(" \t") + 1 - first);
  for (const Coding c : {Coding::kIdentity, Coding::kGzip, Coding::kDeflate}) {
    if (boost::beast::iequals(value, coding_name(c))) return c;
  }
  return std::nullopt;
}

DecodeStatus decode_body(Coding coding, std::string_view in, std::size_t max_out,
                         std::string& out) {
  if (coding == Coding::kGzip)
    return inflate_all(in, kGzipWindowBits, true, max_out, out);
  const int bits = has_zlib_header(in) ? kZlibWindowBits : kRawWindowBits;
  return inflate_all(in, bits, false, max_out, out);
}

std::string encode_body(Coding coding, std::string_view in) {
  z_stream z{};
  const int bits = coding == Coding::kGzip ? kGzipWindowBits : kZlibWindowBits;
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, bits, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
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
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  return out;
}

}  // namespace jormun::http
