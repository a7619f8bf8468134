// A fresh temporary directory, removed with everything in it at scope exit.
#pragma once

#include <stdlib.h>  // mkdtemp

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace fk::test_support {

// Where the directory goes.
enum class TempBase {
  System,  // std::filesystem::temp_directory_path(): $TMPDIR, else /tmp (tests)
  Disk,    // $TMPDIR, else /var/tmp: disk-backed, so benchmarks time real fsyncs rather than a tmpfs
};

inline std::filesystem::path temp_base(TempBase base) {
  if (base == TempBase::System) return std::filesystem::temp_directory_path();
  const char* tmp = std::getenv("TMPDIR");
  return tmp != nullptr && *tmp != '\0' ? std::filesystem::path(tmp) : std::filesystem::path("/var/tmp");
}

// `<base>/<prefix>-XXXXXX`, made by mkdtemp (so unique, mode 0700); throws std::runtime_error if it cannot.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "fk-test", TempBase base = TempBase::System) {
    std::string pattern = (temp_base(base) / (prefix + "-XXXXXX")).string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }
  // The path of `name` inside the directory (which need not exist yet); `dir / name` says the same.
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string operator/(const std::string& name) const { return file(name); }
  // Writes `text` to `name` inside the directory and returns its path.
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
    return file(name);
  }

 private:
  std::filesystem::path path_;
};

}  // namespace fk::test_support
