// Replacing a small file so that a reader, or the disk after a power cut, sees the old file or the new one,
// never a part: a temporary file beside it, fsync, rename, fsync of the directory. For the kiosk's own state
// files (the surveys from the centre, staff.toml).
#pragma once

#include <sys/types.h>

#include <string>

#include "sync/model/expected.hpp"

namespace fk::store {

// `mode` is applied to the new file whatever a leftover temporary file had and whatever the umask: by default
// only the owner may read it, like every file the programs create.
Expected<Ok> write_file_atomically(const std::string& path, const std::string& bytes, mode_t mode = 0600);

}  // namespace fk::store
