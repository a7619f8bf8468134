// Undoing `Content-Encoding: gzip` on a request body without ever holding more than the body limit: a
// small gzip bomb is refused as soon as its output passes the limit.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fk::central::http {

enum class GunzipResult { Ok, TooLarge, Corrupt };

// Decodes `compressed` (one gzip member) into `out`, keeping at most `max_bytes`.
GunzipResult gunzip_bounded(std::string_view compressed, std::size_t max_bytes, std::string& out);

}  // namespace fk::central::http
