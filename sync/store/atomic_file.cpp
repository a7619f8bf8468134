#include "sync/store/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace fk::store {
namespace {

std::string errno_text() {
  return std::strerror(errno);
}

bool write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

Expected<Ok> write_file_atomically(const std::string& path, const std::string& bytes, mode_t mode) {
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Error{"cannot write " + temp + ": " + errno_text()};
  const bool written = ::fchmod(fd, mode) == 0 && write_all(fd, bytes) && ::fsync(fd) == 0;
  const std::string why = written ? "" : errno_text();
  ::close(fd);
  if (!written) {
    ::unlink(temp.c_str());
    return Error{"cannot write " + temp + ": " + why};
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string rename_error = errno_text();
    ::unlink(temp.c_str());
    return Error{"cannot replace " + path + ": " + rename_error};
  }
  // The rename itself is durable only once the directory is synced.
  const std::string dir = std::filesystem::path(path).parent_path().string();
  const int dir_fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return Error{"cannot open " + dir + ": " + errno_text()};
  const bool synced = ::fsync(dir_fd) == 0;
  const std::string sync_error = synced ? "" : errno_text();
  ::close(dir_fd);
  if (!synced) return Error{"cannot sync " + dir + ": " + sync_error};
  return Ok{};
}

}  // namespace fk::store
