// The weekly and monthly totals a batch adds, for both storage backends: one row per (grain, period start,
// site, event, survey, language, misuse, question, pillar) with the five answers in columns, so that
// aggregates over weeks or months read ~40,000 rows at a million responses instead of ~800,000 daily ones.
// The row with an empty question id counts responses and thank-you notes; the others count ratings.
// Summed per batch so each row is upserted once, and kept in key order: concurrent batches on PostgreSQL then
// lock shared rows in the same order and wait instead of deadlocking.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "sync/central/aggregates.hpp"
#include "sync/central/central_store.hpp"

namespace fk::central {

struct PeriodKey {
  Grain grain = Grain::Week;  // Week or Month
  std::string start;          // the period's first day, "YYYY-MM-DD"
  std::string site, event, survey_id, language;
  bool misuse = false;
  std::string question_id;  // "" for the responses row
  std::string pillar;       // "" for the responses row

  auto tie() const {
    return std::tie(grain, start, site, event, survey_id, language, misuse, question_id, pillar);
  }
  bool operator<(const PeriodKey& other) const { return tie() < other.tie(); }
};

struct PeriodCounts {
  std::int64_t responses = 0;
  std::int64_t thanks = 0;
  std::array<std::int64_t, 5> n{};  // n[v-1]: ratings with value v
};

class PeriodTotals {
 public:
  // One response just created at `site`. A day that is not a date (never, after fill_facts) adds nothing.
  void add(const std::string& site, const IngestItem& item);
  const std::map<PeriodKey, PeriodCounts>& rows() const { return rows_; }
  void clear() { rows_.clear(); }

 private:
  std::map<PeriodKey, PeriodCounts> rows_;
};

}  // namespace fk::central
