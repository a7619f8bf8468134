// A pass-through SQLite VFS for tests that can be armed to fail the next WAL write or fsync.
#pragma once

#include <sqlite3.h>

namespace fk::store::testing {

// While alive it is the process's default VFS, so a store opened afterwards goes through it.
// Only one may exist at a time; the store using it must be closed before it is destroyed.
class FaultyVfs {
 public:
  enum class Fault { None, WalWrite, WalSync };

  FaultyVfs();
  ~FaultyVfs();
  FaultyVfs(const FaultyVfs&) = delete;
  FaultyVfs& operator=(const FaultyVfs&) = delete;

  // Every matching call fails with an I/O error until disarmed with Fault::None.
  void arm(Fault fault) { fault_ = fault; }
  int injected() const { return injected_; }

  // Called by the shim's file methods.
  bool should_fail(Fault kind) {
    if (fault_ != kind) return false;
    ++injected_;
    return true;
  }
  sqlite3_vfs* real() const { return real_; }

 private:
  sqlite3_vfs* real_ = nullptr;
  sqlite3_vfs shim_{};
  Fault fault_ = Fault::None;
  int injected_ = 0;
};

}  // namespace fk::store::testing
