// gzip (RFC 1952) compression of request bodies, so a large batch costs less on a cellular link.
#pragma once

#include <string>
#include <string_view>

#include "sync/model/expected.hpp"

namespace fk::uploader {

// Compresses `data` into one gzip member. Favours speed (zlib level 1): batches are JSON, which even the
// fastest level shrinks several-fold, and the drain must keep up with a loopback centre.
Expected<std::string> gzip_compress(std::string_view data);

}  // namespace fk::uploader
