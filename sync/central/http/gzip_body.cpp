// gunzip_bounded on zlib's inflate, a window of output at a time.
#include "sync/central/http/gzip_body.hpp"

#include <zlib.h>

#include <array>

namespace fk::central::http {

GunzipResult gunzip_bounded(std::string_view compressed, std::size_t max_bytes, std::string& out) {
  out.clear();
  z_stream zs{};
  // 15 + 16: a gzip header and trailer only (no bare zlib or raw deflate).
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return GunzipResult::Corrupt;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  zs.avail_in = static_cast<uInt>(compressed.size());
  std::array<char, 16 * 1024> window{};
  GunzipResult result = GunzipResult::Corrupt;
  for (;;) {
    zs.next_out = reinterpret_cast<Bytef*>(window.data());
    zs.avail_out = static_cast<uInt>(window.size());
    const int rc = inflate(&zs, Z_NO_FLUSH);
    const std::size_t produced = window.size() - zs.avail_out;
    if (out.size() + produced > max_bytes) {
      result = GunzipResult::TooLarge;
      break;
    }
    out.append(window.data(), produced);
    if (rc == Z_STREAM_END) {
      // Bytes after the member are not a body we understand.
      result = zs.avail_in == 0 ? GunzipResult::Ok : GunzipResult::Corrupt;
      break;
    }
    if (rc != Z_OK || (produced == 0 && zs.avail_in == 0)) break;  // corrupt, or cut short
  }
  inflateEnd(&zs);
  if (result != GunzipResult::Ok) out.clear();
  return result;
}

}  // namespace fk::central::http
