// What the file-permission tests share: a file's permission bits, and a umask set for one scope (a loose
// 022, as a login shell or a service manager may hand the process, so a test sees what the code itself does).
#pragma once

#include <sys/stat.h>

#include <string>

namespace fk::test_support {

// The permission bits of `path` (e.g. 0600), or -1 if it does not exist.
inline int mode_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 07777);
}

// Sets the process umask for the scope and restores the previous one after (tests run one at a time).
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : previous_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(previous_); }
  ScopedUmask(const ScopedUmask&) = delete;
  ScopedUmask& operator=(const ScopedUmask&) = delete;

 private:
  mode_t previous_;
};

}  // namespace fk::test_support
