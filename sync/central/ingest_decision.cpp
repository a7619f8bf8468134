// The created / duplicate / conflict / invalid answer and the batch's totals.
#include "sync/central/ingest_decision.hpp"

namespace fk::central {

model::ItemResult decide(const IngestItem& item, const std::string& kiosk_id,
                         const std::optional<StoredOwner>& owner) {
  model::ItemResult result{item.uuid, model::ItemStatus::Invalid, item.problem};
  if (!is_storable(item)) return result;
  if (!owner) {
    result.status = model::ItemStatus::Created;
  } else if (owner->kiosk_id != kiosk_id) {
    result.status = model::ItemStatus::Conflict;
    result.reason = "this uuid was already delivered by another kiosk";
  } else if (owner->payload_sha256 != item.payload_sha256) {
    result.status = model::ItemStatus::Conflict;
    result.reason = "a different payload is already stored under this uuid";
  } else {
    result.status = model::ItemStatus::Duplicate;
  }
  return result;
}

void BatchTotals::add(const std::string& site, const IngestItem& item) {
  const DayKey key{site, item.event, item.survey_id, item.language, item.day, item.misuse};
  DayCounts& counts = responses_[key];
  counts.responses += 1;
  if (!item.thanks_note.empty()) counts.thanks += 1;
  for (const IngestItem::Rating& rating : item.ratings) {
    ratings_[RatingKey{key, rating.question_id, model::to_string(rating.pillar), rating.value}] += 1;
  }
  periods_.add(site, item);
}

}  // namespace fk::central
