// Merges the rows of the totals tables into PartialCells, for both storage backends. Rows arrive as
// borrowed text (no string per column): a key is looked up in a hash table through one reused buffer, and a
// cell's few rating entries are searched in place. (perf had two std::maps keyed by tuples of strings at 70%
// of an aggregates request.)
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sync/central/aggregates.hpp"

namespace fk::central {

struct CellKeyView {
  std::string_view site, event, survey_id, language, day;
  bool misuse = false;
};

class PartialCellBuilder {
 public:
  void add_responses(const CellKeyView& key, int responses, int thanks);
  void add_rating(const CellKeyView& key, std::string_view question_id, std::string_view pillar, int value,
                  int n);
  // counts[v-1] ratings of value v at once (the weekly and monthly totals keep them in columns).
  void add_ratings(const CellKeyView& key, std::string_view question_id, std::string_view pillar,
                   const std::array<int, 5>& counts);
  // The cells, sorted by (site, event, survey, language, day, misuse).
  std::vector<PartialCell> take();

 private:
  PartialCell& cell(const CellKeyView& key);

  std::string buffer_;
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<PartialCell> cells_;
};

}  // namespace fk::central
