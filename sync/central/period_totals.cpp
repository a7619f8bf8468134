#include "sync/central/period_totals.hpp"

namespace fk::central {

void PeriodTotals::add(const std::string& site, const IngestItem& item) {
  for (const Grain grain : {Grain::Week, Grain::Month}) {
    PeriodKey key{grain,
                  period_start(item.day, grain),
                  site,
                  item.event,
                  item.survey_id,
                  item.language,
                  item.misuse,
                  "",
                  ""};
    if (key.start.empty()) return;
    PeriodCounts& counts = rows_[key];
    counts.responses += 1;
    if (!item.thanks_note.empty()) counts.thanks += 1;
    for (const IngestItem::Rating& rating : item.ratings) {
      if (rating.value < 1 || rating.value > 5) continue;
      key.question_id = rating.question_id;
      key.pillar = model::to_string(rating.pillar);
      rows_[key].n[static_cast<std::size_t>(rating.value - 1)] += 1;
    }
  }
}

}  // namespace fk::central
