// What a batch decides, whichever backend stores it: each item's answer (created, duplicate, conflict with
// its reason, invalid) and what the created items add to the totals, summed per batch so that each totals row
// is upserted once. The backends only insert, look up the row holding a UUID, and write these rows.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "sync/central/central_store.hpp"
#include "sync/central/period_totals.hpp"
#include "sync/model/wire.hpp"

namespace fk::central {

// The row already holding an item's UUID when the insert skipped it.
struct StoredOwner {
  std::string kiosk_id;
  std::string payload_sha256;
};

// An item with a problem is answered invalid without touching the database; the others are inserted.
inline bool is_storable(const IngestItem& item) {
  return item.problem.empty();
}

// The answer to one item sent by `kiosk_id`. `owner` is empty when the insert created the row, else the row
// that holds the UUID (stored earlier by any process, or earlier in this batch): the same kiosk and bytes are a
// duplicate; another kiosk, or other bytes, a conflict saying which.
model::ItemResult decide(const IngestItem& item, const std::string& kiosk_id,
                         const std::optional<StoredOwner>& owner);

// (site, event, survey_id, language, day, misuse): the key of a daily totals row.
struct DayKey {
  std::string site, event, survey_id, language, day;
  bool misuse = false;

  auto tie() const { return std::tie(site, event, survey_id, language, day, misuse); }
  bool operator<(const DayKey& other) const { return tie() < other.tie(); }
};

struct DayCounts {
  std::int64_t responses = 0;
  std::int64_t thanks = 0;
};

// A daily rating row: the cell, the question, its pillar and the value given.
struct RatingKey {
  DayKey day;
  std::string question_id;
  std::string pillar;
  int value = 0;

  auto tie() const { return std::tie(day, question_id, pillar, value); }
  bool operator<(const RatingKey& other) const { return tie() < other.tie(); }
};

// What a batch adds to the totals tables (response_totals, rating_totals, period_totals), kept in key order:
// concurrent batches on PostgreSQL then lock shared rows in the same order and wait instead of deadlocking.
class BatchTotals {
 public:
  // One response just created at `site`.
  void add(const std::string& site, const IngestItem& item);

  const std::map<DayKey, DayCounts>& responses() const { return responses_; }
  const std::map<RatingKey, std::int64_t>& ratings() const { return ratings_; }
  const PeriodTotals& periods() const { return periods_; }

 private:
  std::map<DayKey, DayCounts> responses_;
  std::map<RatingKey, std::int64_t> ratings_;
  PeriodTotals periods_;
};

}  // namespace fk::central
