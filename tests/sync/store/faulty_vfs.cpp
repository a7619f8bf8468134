// FaultyVfs: every call is forwarded to the real (unix) VFS, except armed WAL writes and syncs.
#include "faulty_vfs.hpp"

#include <stdexcept>

namespace fk::store::testing {
namespace {

// The shim's file: our header, then the real VFS's file object in the same allocation.
struct ShimFile {
  sqlite3_file base;
  FaultyVfs* owner;
  bool is_wal;
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

ShimFile* shim(sqlite3_file* file) {
  return reinterpret_cast<ShimFile*>(file);
}
sqlite3_file* real(sqlite3_file* file) {
  return shim(file)->real();
}
const sqlite3_io_methods* methods(sqlite3_file* file) {
  return real(file)->pMethods;
}
FaultyVfs* owner(sqlite3_vfs* vfs) {
  return static_cast<FaultyVfs*>(vfs->pAppData);
}
sqlite3_vfs* real_vfs(sqlite3_vfs* vfs) {
  return owner(vfs)->real();
}

const sqlite3_io_methods kShimMethods = {
    3,
    [](sqlite3_file* f) { return methods(f)->xClose(real(f)); },
    [](sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
      return methods(f)->xRead(real(f), buf, n, off);
    },
    [](sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
      if (shim(f)->is_wal && shim(f)->owner->should_fail(FaultyVfs::Fault::WalWrite))
        return SQLITE_IOERR_WRITE;
      return methods(f)->xWrite(real(f), buf, n, off);
    },
    [](sqlite3_file* f, sqlite3_int64 size) { return methods(f)->xTruncate(real(f), size); },
    [](sqlite3_file* f, int flags) {
      if (shim(f)->is_wal && shim(f)->owner->should_fail(FaultyVfs::Fault::WalSync))
        return SQLITE_IOERR_FSYNC;
      return methods(f)->xSync(real(f), flags);
    },
    [](sqlite3_file* f, sqlite3_int64* size) { return methods(f)->xFileSize(real(f), size); },
    [](sqlite3_file* f, int lock) { return methods(f)->xLock(real(f), lock); },
    [](sqlite3_file* f, int lock) { return methods(f)->xUnlock(real(f), lock); },
    [](sqlite3_file* f, int* out) { return methods(f)->xCheckReservedLock(real(f), out); },
    [](sqlite3_file* f, int op, void* arg) { return methods(f)->xFileControl(real(f), op, arg); },
    [](sqlite3_file* f) { return methods(f)->xSectorSize(real(f)); },
    [](sqlite3_file* f) { return methods(f)->xDeviceCharacteristics(real(f)); },
    [](sqlite3_file* f, int page, int size, int extend, void volatile** out) {
      return methods(f)->xShmMap(real(f), page, size, extend, out);
    },
    [](sqlite3_file* f, int offset, int n, int flags) {
      return methods(f)->xShmLock(real(f), offset, n, flags);
    },
    [](sqlite3_file* f) { methods(f)->xShmBarrier(real(f)); },
    [](sqlite3_file* f, int del) { return methods(f)->xShmUnmap(real(f), del); },
    [](sqlite3_file* f, sqlite3_int64 off, int n, void** out) {
      return methods(f)->xFetch(real(f), off, n, out);
    },
    [](sqlite3_file* f, sqlite3_int64 off, void* p) { return methods(f)->xUnfetch(real(f), off, p); },
};

int shim_open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  ShimFile* f = shim(file);
  f->base.pMethods = nullptr;  // SQLite skips xClose if xOpen fails
  f->owner = owner(vfs);
  f->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
  const int rc = real_vfs(vfs)->xOpen(real_vfs(vfs), name, f->real(), flags, out_flags);
  if (rc == SQLITE_OK) f->base.pMethods = &kShimMethods;
  return rc;
}

}  // namespace

FaultyVfs::FaultyVfs() {
  real_ = sqlite3_vfs_find(nullptr);
  if (real_ == nullptr || real_->iVersion < 2) throw std::runtime_error("no usable default SQLite VFS");
  shim_.iVersion = 2;
  shim_.szOsFile = static_cast<int>(sizeof(ShimFile)) + real_->szOsFile;
  shim_.mxPathname = real_->mxPathname;
  shim_.zName = "fk-faulty";
  shim_.pAppData = this;
  shim_.xOpen = shim_open;
  shim_.xDelete = [](sqlite3_vfs* v, const char* n, int sync) {
    return real_vfs(v)->xDelete(real_vfs(v), n, sync);
  };
  shim_.xAccess = [](sqlite3_vfs* v, const char* n, int flags, int* out) {
    return real_vfs(v)->xAccess(real_vfs(v), n, flags, out);
  };
  shim_.xFullPathname = [](sqlite3_vfs* v, const char* n, int size, char* out) {
    return real_vfs(v)->xFullPathname(real_vfs(v), n, size, out);
  };
  shim_.xDlOpen = [](sqlite3_vfs* v, const char* n) { return real_vfs(v)->xDlOpen(real_vfs(v), n); };
  shim_.xDlError = [](sqlite3_vfs* v, int n, char* out) { real_vfs(v)->xDlError(real_vfs(v), n, out); };
  shim_.xDlSym = [](sqlite3_vfs* v, void* h, const char* s) {
    return real_vfs(v)->xDlSym(real_vfs(v), h, s);
  };
  shim_.xDlClose = [](sqlite3_vfs* v, void* h) { real_vfs(v)->xDlClose(real_vfs(v), h); };
  shim_.xRandomness = [](sqlite3_vfs* v, int n, char* out) {
    return real_vfs(v)->xRandomness(real_vfs(v), n, out);
  };
  shim_.xSleep = [](sqlite3_vfs* v, int us) { return real_vfs(v)->xSleep(real_vfs(v), us); };
  shim_.xCurrentTime = [](sqlite3_vfs* v, double* out) {
    return real_vfs(v)->xCurrentTime(real_vfs(v), out);
  };
  shim_.xGetLastError = [](sqlite3_vfs* v, int n, char* out) {
    return real_vfs(v)->xGetLastError(real_vfs(v), n, out);
  };
  shim_.xCurrentTimeInt64 = [](sqlite3_vfs* v, sqlite3_int64* out) {
    return real_vfs(v)->xCurrentTimeInt64(real_vfs(v), out);
  };
  if (sqlite3_vfs_register(&shim_, 1) != SQLITE_OK)
    throw std::runtime_error("cannot register the faulty VFS");
}

FaultyVfs::~FaultyVfs() {
  sqlite3_vfs_unregister(&shim_);
  sqlite3_vfs_register(real_, 1);  // the real one becomes the default again
}

}  // namespace fk::store::testing
