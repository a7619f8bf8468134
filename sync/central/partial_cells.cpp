#include "sync/central/partial_cells.hpp"

#include <algorithm>
#include <tuple>

namespace fk::central {

PartialCell& PartialCellBuilder::cell(const CellKeyView& key) {
  buffer_.clear();
  for (std::string_view part : {key.site, key.event, key.survey_id, key.language, key.day}) {
    buffer_.append(part);
    buffer_.push_back('\x1f');  // a separator no key part contains
  }
  buffer_.push_back(key.misuse ? '1' : '0');
  auto found = index_.find(buffer_);
  if (found != index_.end()) return cells_[found->second];
  index_.emplace(buffer_, cells_.size());
  PartialCell& added = cells_.emplace_back();
  added.site = key.site;
  added.event = key.event;
  added.survey_id = key.survey_id;
  added.language = key.language;
  added.day = key.day;
  added.misuse = key.misuse;
  return added;
}

void PartialCellBuilder::add_responses(const CellKeyView& key, int responses, int thanks) {
  PartialCell& c = cell(key);
  c.responses += responses;
  c.thanks += thanks;
}

void PartialCellBuilder::add_rating(const CellKeyView& key, std::string_view question_id,
                                    std::string_view pillar, int value, int n) {
  if (value < 1 || value > 5) return;
  std::array<int, 5> counts{};
  counts[static_cast<std::size_t>(value - 1)] = n;
  add_ratings(key, question_id, pillar, counts);
}

void PartialCellBuilder::add_ratings(const CellKeyView& key, std::string_view question_id,
                                     std::string_view pillar, const std::array<int, 5>& counts) {
  PartialCell& c = cell(key);
  const model::Pillar p = model::pillar_from_string(std::string(pillar)).value_or(model::Pillar::None);
  auto slot = std::find_if(c.ratings.begin(), c.ratings.end(), [&](const RatingCounts& r) {
    return r.question_id == question_id && r.pillar == p;
  });
  if (slot == c.ratings.end()) {
    c.ratings.push_back(RatingCounts{std::string(question_id), p, {}});
    slot = c.ratings.end() - 1;
  }
  for (std::size_t v = 0; v < counts.size(); ++v) slot->counts[v] += counts[v];
}

std::vector<PartialCell> PartialCellBuilder::take() {
  std::sort(cells_.begin(), cells_.end(), [](const PartialCell& a, const PartialCell& b) {
    return std::tie(a.site, a.event, a.survey_id, a.language, a.day, a.misuse) <
           std::tie(b.site, b.event, b.survey_id, b.language, b.day, b.misuse);
  });
  index_.clear();
  return std::move(cells_);
}

}  // namespace fk::central
