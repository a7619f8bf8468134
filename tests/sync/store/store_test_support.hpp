// Shared by the store tests: temporary directories and realistic responses (from tests/support), and one
// factory per store type.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>

#include "support/sample_responses.hpp"
#include "support/temp_dir.hpp"
#include "sync/model/response.hpp"
#include "sync/store/memory_response_store.hpp"
#include "sync/store/sqlite_response_store.hpp"

namespace fk::store::testing {

using test_support::lobby_response;
using test_support::TempDir;

inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Factories for TEMPLATE_TEST_CASE: each builds a fresh, empty store.
struct MemoryStoreFactory {
  MemoryResponseStore store;
  ResponseStore& get() { return store; }
};

struct SqliteStoreFactory {
  TempDir dir;
  std::unique_ptr<SqliteResponseStore> store;
  SqliteStoreFactory() {
    auto opened = SqliteResponseStore::open(dir.file("outbox.sqlite"));
    if (!opened) throw std::runtime_error(opened.error().message);
    store = std::move(*opened);
  }
  ResponseStore& get() { return *store; }
};

}  // namespace fk::store::testing
