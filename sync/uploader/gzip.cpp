// gzip_compress: one deflate pass through zlib with a gzip wrapper.
#include "sync/uploader/gzip.hpp"

#include <zlib.h>

#include <limits>

namespace fk::uploader {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // 2^15 window, +16 asks zlib for a gzip header and trailer
constexpr int kMemLevel = 8;              // zlib's default

}  // namespace

Expected<std::string> gzip_compress(std::string_view data) {
  if (data.size() > std::numeric_limits<uInt>::max()) return Error{"gzip: input too large"};
  z_stream zs{};
  if (deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, kGzipWindowBits, kMemLevel, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Error{"gzip: deflateInit2 failed"};
  }
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 32, '\0');  // +32: gzip framing
  // zlib's API is not const-correct; it only reads next_in.
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  const uLong written = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return Error{"gzip: deflate did not finish (" + std::to_string(rc) + ")"};
  out.resize(written);
  return out;
}

}  // namespace fk::uploader
