// MemoryResponseStore: the store contract over two maps and a sequence counter.
#include "sync/store/memory_response_store.hpp"

#include "sync/store/freeze.hpp"

namespace fk::store {

Expected<SaveOutcome> MemoryResponseStore::save(const model::Response& response) {
  auto frozen = freeze(response);
  if (!frozen) return frozen.error();
  std::lock_guard lock(mutex_);
  if (seq_by_uuid_.count(response.uuid) != 0) return SaveOutcome::AlreadyStored;
  StoredResponse row;
  row.seq = next_seq_++;
  row.uuid = response.uuid;
  row.survey_id = response.survey_id;
  row.survey_version = response.survey_version;
  row.partial = response.partial;
  row.event = response.event;
  row.payload = std::move(frozen->payload);
  row.payload_hash = std::move(frozen->payload_hash);
  row.status = Status::Pending;
  row.saved_at = std::move(frozen->saved_at);
  seq_by_uuid_.emplace(row.uuid, row.seq);
  by_seq_.emplace(row.seq, std::move(row));
  return SaveOutcome::Created;
}

Expected<std::vector<StoredResponse>> MemoryResponseStore::list(Status status, std::size_t limit) {
  std::lock_guard lock(mutex_);
  std::vector<StoredResponse> rows;
  for (const auto& [seq, row] : by_seq_) {
    if (rows.size() >= limit) break;
    if (row.status == status) rows.push_back(row);
  }
  return rows;
}

Expected<Ok> MemoryResponseStore::mark_uploaded(const std::vector<std::string>& uuids) {
  std::lock_guard lock(mutex_);
  // Check every UUID before changing any: all or none, like the SQLite transaction.
  for (const std::string& uuid : uuids) {
    const auto it = seq_by_uuid_.find(uuid);
    if (it == seq_by_uuid_.end()) return Error{"cannot mark " + uuid + " uploaded: no such response"};
    if (by_seq_.at(it->second).status == Status::Quarantined) {
      return Error{"cannot mark " + uuid + " uploaded: it is quarantined"};
    }
  }
  for (const std::string& uuid : uuids) by_seq_.at(seq_by_uuid_.at(uuid)).status = Status::Uploaded;
  return Ok{};
}

Expected<Ok> MemoryResponseStore::quarantine(const std::string& uuid, const std::string& reason) {
  std::lock_guard lock(mutex_);
  const auto it = seq_by_uuid_.find(uuid);
  if (it == seq_by_uuid_.end()) return Error{"cannot quarantine " + uuid + ": no such response"};
  StoredResponse& row = by_seq_.at(it->second);
  if (row.status == Status::Uploaded) return Error{"cannot quarantine " + uuid + ": it is already uploaded"};
  row.status = Status::Quarantined;
  row.quarantine_reason = bounded_reason(reason);
  return Ok{};
}

Expected<std::optional<StoredResponse>> MemoryResponseStore::find(const std::string& uuid) {
  std::lock_guard lock(mutex_);
  const auto it = seq_by_uuid_.find(uuid);
  if (it == seq_by_uuid_.end()) return std::optional<StoredResponse>{};
  return std::optional<StoredResponse>{by_seq_.at(it->second)};
}

Expected<StatusCounts> MemoryResponseStore::counts() {
  return count_where([](const StoredResponse&) { return true; });
}

Expected<StatusCounts> MemoryResponseStore::event_counts(const std::string& event) {
  return count_where([&](const StoredResponse& row) { return row.event == event; });
}

StatusCounts MemoryResponseStore::count_where(const std::function<bool(const StoredResponse&)>& keep) {
  std::lock_guard lock(mutex_);
  StatusCounts counts;
  for (const auto& [seq, row] : by_seq_) {
    if (!keep(row)) continue;
    switch (row.status) {
      case Status::Pending:
        ++counts.pending;
        break;
      case Status::Uploaded:
        ++counts.uploaded;
        break;
      case Status::Quarantined:
        ++counts.quarantined;
        break;
    }
  }
  return counts;
}

}  // namespace fk::store
