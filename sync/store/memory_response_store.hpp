// An in-memory ResponseStore with the SQLite store's semantics, for tests of the code that uses a store.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "sync/store/response_store.hpp"

namespace fk::store {

class MemoryResponseStore : public ResponseStore {
 public:
  Expected<SaveOutcome> save(const model::Response& response) override;
  Expected<std::vector<StoredResponse>> list(Status status, std::size_t limit) override;
  Expected<Ok> mark_uploaded(const std::vector<std::string>& uuids) override;
  Expected<Ok> quarantine(const std::string& uuid, const std::string& reason) override;
  Expected<std::optional<StoredResponse>> find(const std::string& uuid) override;
  Expected<StatusCounts> counts() override;
  Expected<StatusCounts> event_counts(const std::string& event) override;

 private:
  StatusCounts count_where(const std::function<bool(const StoredResponse&)>& keep);

  std::mutex mutex_;
  std::int64_t next_seq_ = 1;
  std::map<std::int64_t, StoredResponse> by_seq_;    // ordered by the sequence, like the table
  std::map<std::string, std::int64_t> seq_by_uuid_;  // the UNIQUE(uuid) constraint
};

}  // namespace fk::store
