// CSV writing for aggregate results (csv.hpp has the format).
#include "sync/central/csv.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace fk::central {
namespace {

void append_blank(std::vector<std::string>& row, std::size_t count) {
  row.insert(row.end(), count, std::string());
}

}  // namespace

std::string fixed_decimal(double value, int decimals) {
  long long scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  // Means and shares are ratios of integers with denominators far below 1e8, so a true tie (29/8 = 3.625)
  // lies at least 1/(2n) from any non-tie; 1e-9 only lifts ties that binary doubles store a hair low.
  const bool negative = value < 0;
  const long long scaled =
      static_cast<long long>(std::floor(std::fabs(value) * static_cast<double>(scale) + 0.5 + 1e-9));
  std::string out = (negative && scaled != 0 ? "-" : "") + std::to_string(scaled / scale);
  if (decimals > 0) {
    std::string fraction = std::to_string(scaled % scale);
    out += "." + std::string(static_cast<std::size_t>(decimals) - fraction.size(), '0') + fraction;
  }
  return out;
}

std::string csv_field(const std::string& field) {
  std::string text = field;
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                        text[0] == '\t' || text[0] == '\r'))
    text.insert(text.begin(), '\'');
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

std::string csv_row(const std::vector<std::string>& fields) {
  std::string row;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) row.push_back(',');
    row += csv_field(fields[i]);
  }
  row += "\r\n";
  return row;
}

std::string aggregates_csv(const AggregateResult& result, bool bom) {
  std::set<std::string> question_ids;
  std::set<Pillar> pillars;
  auto collect = [&](const Cell& cell) {
    for (const RatingStats& q : cell.questions) question_ids.insert(q.question_id);
    for (const PillarStats& p : cell.pillars) pillars.insert(p.pillar);
  };
  for (const Cell& cell : result.cells) collect(cell);
  collect(result.total);

  const std::size_t key_columns = std::max<std::size_t>(result.dimensions.size(), 1);
  std::vector<std::string> header =
      result.dimensions.empty() ? std::vector<std::string>{"scope"} : result.dimensions;
  for (const char* name : {"responses", "suppressed", "suppression", "thanks"}) header.emplace_back(name);
  for (const std::string& id : question_ids) {
    for (const char* column :
         {"n", "mean", "top_two_share", "dist_1", "dist_2", "dist_3", "dist_4", "dist_5"})
      header.push_back("q." + id + "." + column);
  }
  for (Pillar p : pillars) {
    for (const char* column : {"n", "mean", "top_two_share"})
      header.push_back(std::string("pillar.") + model::to_string(p) + "." + column);
  }

  std::string out = bom ? kUtf8Bom : "";
  out += csv_row(header);
  auto write = [&](const Cell& cell, std::vector<std::string> row) {
    row.resize(key_columns);
    row.push_back(cell.suppressed ? "" : std::to_string(cell.responses));
    row.emplace_back(cell.suppressed ? "true" : "false");
    row.push_back(cell.suppression);
    row.push_back(cell.suppressed ? "" : std::to_string(cell.thanks));
    for (const std::string& id : question_ids) {
      auto q = std::find_if(cell.questions.begin(), cell.questions.end(),
                            [&](const RatingStats& s) { return s.question_id == id; });
      if (cell.suppressed || q == cell.questions.end()) {
        append_blank(row, 8);
        continue;
      }
      row.push_back(std::to_string(q->n));
      row.push_back(fixed_decimal(q->mean, 2));
      row.push_back(fixed_decimal(q->top_two_share, 3));
      for (int count : q->distribution) row.push_back(std::to_string(count));
    }
    for (Pillar pillar : pillars) {
      auto p = std::find_if(cell.pillars.begin(), cell.pillars.end(),
                            [&](const PillarStats& s) { return s.pillar == pillar; });
      if (cell.suppressed || p == cell.pillars.end()) {
        append_blank(row, 3);
        continue;
      }
      row.push_back(std::to_string(p->n));
      row.push_back(fixed_decimal(p->mean, 2));
      row.push_back(fixed_decimal(p->top_two_share, 3));
    }
    out += csv_row(row);
  };
  for (const Cell& cell : result.cells) write(cell, cell.key);
  write(result.total, {"total"});
  return out;
}

}  // namespace fk::central
