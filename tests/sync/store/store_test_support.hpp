// Shared by the store tests: temporary directories, realistic responses, and one factory per store type.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>

#include "sync/model/response.hpp"
#include "sync/store/memory_response_store.hpp"
#include "sync/store/sqlite_response_store.hpp"

namespace fk::store::testing {

// A fresh directory under the system temp dir, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "fk-store-XXXXXX").string();
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
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A completed lobby visit: four ratings, a yes, a thank-you note and the employee it thanks.
inline model::Response lobby_response(const std::string& uuid = model::new_uuid_v4(),
                                      const std::string& completed_at = "2026-11-22T07:39:02Z") {
  model::Response r;
  r.uuid = uuid;
  r.survey_id = "lobby-2026";
  r.survey_version = 3;
  r.language = "en";
  r.answers = {
      {"courtesy", 5},
      {"clarity", 4},
      {"wait", 3},
      {"overall", 5},
      {"would_recommend", true},
      {"note",
       std::string("Officer Alvarez took the time to explain the report process and helped me fill in "
                   "the form for my stolen bicycle. She was patient with my questions and kind to my "
                   "kids. Thank you!")},
      {"employee", std::string("Officer M. Alvarez")},
  };
  r.started_at = "2026-11-22T07:37:40Z";
  r.completed_at = completed_at;
  return r;
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
