// The aggregation engine: filter and group partial cells with hash maps, then apply the k rules
// (aggregates.hpp explains them).
#include "sync/central/aggregates.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <deque>
#include <tuple>
#include <unordered_map>

namespace fk::central {
namespace {

constexpr std::array<std::pair<Dimension, const char*>, 7> kDimensionNames{{
    {Dimension::Site, "site"},
    {Dimension::Event, "event"},
    {Dimension::Survey, "survey"},
    {Dimension::Language, "language"},
    {Dimension::Day, "day"},
    {Dimension::Week, "week"},
    {Dimension::Month, "month"},
}};

bool is_time(Dimension d) {
  return d == Dimension::Day || d == Dimension::Week || d == Dimension::Month;
}

std::optional<std::chrono::year_month_day> parse_day(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto number = [&](std::size_t at, std::size_t len) -> std::optional<int> {
    int v = 0;
    for (std::size_t i = at; i < at + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  const auto y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (!y || !m || !d) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{*y}, std::chrono::month{static_cast<unsigned>(*m)},
                                        std::chrono::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

std::string two_digits(unsigned v) {
  return std::string{static_cast<char>('0' + v / 10), static_cast<char>('0' + v % 10)};
}

// "YYYY-MM-DD" of a date parse_day accepted (years 0000-9999).
std::string format_day(const std::chrono::year_month_day& ymd) {
  const int y = static_cast<int>(ymd.year());
  return two_digits(static_cast<unsigned>(y / 100)) + two_digits(static_cast<unsigned>(y % 100)) + "-" +
         two_digits(static_cast<unsigned>(ymd.month())) + "-" + two_digits(static_cast<unsigned>(ymd.day()));
}

ParamError param_error(const std::string& parameter, const std::string& why) {
  return ParamError{parameter, parameter + ": " + why};
}

std::string quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

// Accumulation.

struct QuestionAcc {
  Pillar pillar = Pillar::None;
  std::array<long long, 5> counts{};
};

struct CellAcc {
  std::vector<std::string> key;
  long long responses = 0;
  long long thanks = 0;
  std::unordered_map<std::string, QuestionAcc> questions;
  std::array<std::array<long long, 5>, 5> pillars{};  // [pillar][value-1]

  void add(const PartialCell& p) {
    responses += p.responses;
    thanks += p.thanks;
    for (const RatingCounts& r : p.ratings) {
      auto [it, fresh] = questions.try_emplace(r.question_id);
      if (fresh || r.pillar < it->second.pillar) it->second.pillar = r.pillar;
      auto& pillar = pillars[static_cast<std::size_t>(r.pillar)];
      for (std::size_t v = 0; v < 5; ++v) {
        it->second.counts[v] += r.counts[v];
        pillar[v] += r.counts[v];
      }
    }
  }
};

struct Summary {
  int n = 0;
  double mean = 0;
  double top_two = 0;
};

Summary summarise(const std::array<long long, 5>& counts) {
  long long n = 0, sum = 0;
  for (std::size_t v = 0; v < 5; ++v) {
    n += counts[v];
    sum += counts[v] * static_cast<long long>(v + 1);
  }
  if (n == 0) return {};
  return Summary{static_cast<int>(n), static_cast<double>(sum) / static_cast<double>(n),
                 static_cast<double>(counts[3] + counts[4]) / static_cast<double>(n)};
}

Cell visible_cell(const CellAcc& acc) {
  Cell cell;
  cell.key = acc.key;
  cell.responses = static_cast<int>(acc.responses);
  cell.thanks = static_cast<int>(acc.thanks);
  for (const auto& [id, q] : acc.questions) {
    const Summary s = summarise(q.counts);
    if (s.n == 0) continue;
    RatingStats stats{id, q.pillar, s.n, s.mean, {}, s.top_two};
    for (std::size_t v = 0; v < 5; ++v) stats.distribution[v] = static_cast<int>(q.counts[v]);
    cell.questions.push_back(std::move(stats));
  }
  std::sort(cell.questions.begin(), cell.questions.end(),
            [](const RatingStats& a, const RatingStats& b) { return a.question_id < b.question_id; });
  for (Pillar p : {Pillar::Overall, Pillar::Empathize, Pillar::Educate, Pillar::Exceed}) {
    const Summary s = summarise(acc.pillars[static_cast<std::size_t>(p)]);
    if (s.n > 0) cell.pillars.push_back(PillarStats{p, s.n, s.mean, s.top_two});
  }
  return cell;
}

Cell suppressed_cell(std::vector<std::string> key, const char* reason) {
  Cell cell;
  cell.key = std::move(key);
  cell.suppressed = true;
  cell.suppression = reason;
  return cell;
}

// Complementary suppression.

enum class State { Visible, BelowK, Complementary };

// A group of cells whose margin an analyst can obtain by asking without some dimensions.
struct Group {
  std::vector<int> members;  // sorted by (responses, key): candidate order
  int suppressed = 0;        // m
  int visible = 0;
  long long pooled = 0;  // S: responses of the suppressed members
  long long bounds = 0;  // L: sum of what the reasons reveal (1 per below_k, k per complementary)
};

class Suppressor {
 public:
  Suppressor(const std::vector<CellAcc>& cells, std::size_t dimensions, int k)
      : cells_(cells), k_(k), state_(cells.size(), State::Visible), groups_of_(cells.size()) {
    for (std::size_t i = 0; i < cells.size(); ++i)
      if (cells[i].responses < k) state_[i] = State::BelowK;
    // One family of groups per non-empty set of summed-over dimensions (bit set = dimension summed over).
    const unsigned masks = 1u << dimensions;
    for (unsigned mask = 1; mask < masks; ++mask) {
      std::unordered_map<std::string, int> by_key;
      for (std::size_t i = 0; i < cells.size(); ++i) {
        std::string projected;
        for (std::size_t d = 0; d < dimensions; ++d)
          if ((mask & (1u << d)) == 0) projected.append(cells[i].key[d]).push_back('\x1f');
        auto [it, fresh] = by_key.try_emplace(projected, static_cast<int>(groups_.size()));
        if (fresh) groups_.emplace_back();
        groups_[static_cast<std::size_t>(it->second)].members.push_back(static_cast<int>(i));
        groups_of_[i].push_back(it->second);
      }
    }
    for (Group& g : groups_) {
      // Cells are sorted by key, so a stable sort by responses leaves ties in key order.
      std::stable_sort(g.members.begin(), g.members.end(),
                       [&](int a, int b) { return cell(a).responses < cell(b).responses; });
      for (int c : g.members) {
        if (state(c) == State::Visible) {
          ++g.visible;
        } else {
          ++g.suppressed;
          g.pooled += cell(c).responses;
          g.bounds += 1;
        }
      }
    }
  }

  std::vector<State> run() {
    std::deque<int> work;
    std::vector<char> queued(groups_.size(), 1);
    for (std::size_t g = 0; g < groups_.size(); ++g) work.push_back(static_cast<int>(g));
    while (!work.empty()) {
      const int g = work.front();
      work.pop_front();
      queued[static_cast<std::size_t>(g)] = 0;
      while (exposed(group(g)) && group(g).visible > 0) {
        const int c = choose(g);
        state_[static_cast<std::size_t>(c)] = State::Complementary;
        for (int h : groups_of_[static_cast<std::size_t>(c)]) {
          Group& gh = group(h);
          --gh.visible;
          ++gh.suppressed;
          gh.pooled += cell(c).responses;
          gh.bounds += k_;
          if (h != g && !queued[static_cast<std::size_t>(h)]) {
            queued[static_cast<std::size_t>(h)] = 1;
            work.push_back(h);
          }
        }
      }
    }
    return state_;
  }

 private:
  const CellAcc& cell(int i) const { return cells_[static_cast<std::size_t>(i)]; }
  State state(int i) const { return state_[static_cast<std::size_t>(i)]; }
  Group& group(int g) { return groups_[static_cast<std::size_t>(g)]; }

  bool exposed(const Group& g) const {
    if (g.suppressed == 0) return false;
    // No visible cell: the margin is the pooled suppressed cells; below k it is suppressed by rule 1 in the
    // query that shows it (the case of a line holding a single suppressed cell), so nothing can be
    // subtracted.
    if (g.visible == 0 && g.pooled < k_) return false;
    return g.suppressed == 1 || g.pooled < k_ || g.pooled == g.bounds;
  }

  // g as it would be with cell c suppressed as complementary.
  Group with(const Group& g, int c) const {
    Group after;
    after.suppressed = g.suppressed + 1;
    after.visible = g.visible - 1;
    after.pooled = g.pooled + cell(c).responses;
    after.bounds = g.bounds + k_;
    return after;
  }

  int choose(int g) {
    using Score =
        std::tuple<int, int, int>;  // (groups left exposed beyond repair, g still exposed, new partners)
    int best = -1;
    Score best_score{};
    for (int c : group(g).members) {  // already in (responses, key) order: the first of equal scores wins
      if (state(c) != State::Visible) continue;
      int unrepairable = 0, partners = 0;
      for (int h : groups_of_[static_cast<std::size_t>(c)]) {
        if (h == g) continue;
        const Group& gh = group(h);
        const Group after = with(gh, c);
        if (after.visible == 0 && exposed(after)) ++unrepairable;
        if (gh.suppressed == 0) ++partners;
      }
      const Score score{unrepairable, exposed(with(group(g), c)) ? 1 : 0, partners};
      if (best < 0 || score < best_score) {
        best = c;
        best_score = score;
        if (score == Score{0, 0, 0}) break;
      }
    }
    return best;
  }

  const std::vector<CellAcc>& cells_;
  int k_;
  std::vector<State> state_;
  std::vector<std::vector<int>> groups_of_;
  std::vector<Group> groups_;
};

}  // namespace

const char* to_string(Dimension dimension) {
  for (const auto& [d, name] : kDimensionNames)
    if (d == dimension) return name;
  return "unknown";
}

std::optional<Dimension> dimension_from_string(std::string_view s) {
  for (const auto& [d, name] : kDimensionNames)
    if (s == name) return d;
  return std::nullopt;
}

bool is_calendar_date(std::string_view day) {
  return parse_day(day).has_value();
}

std::string iso_week_label(std::string_view day) {
  using namespace std::chrono;
  const auto ymd = parse_day(day);
  if (!ymd) return "";
  const sys_days date{*ymd};
  // The ISO week belongs to the year of its Thursday; week 1 is the week holding that year's first Thursday.
  const unsigned iso_weekday = weekday{date}.iso_encoding();  // Monday = 1 … Sunday = 7
  const sys_days thursday = date + days{4 - static_cast<int>(iso_weekday)};
  const year iso_year = year_month_day{thursday}.year();
  const sys_days jan1{iso_year / January / 1};
  const auto week = (thursday - jan1).count() / 7 + 1;
  return std::to_string(static_cast<int>(iso_year)) + "-W" + two_digits(static_cast<unsigned>(week));
}

const char* to_string(Grain grain) {
  switch (grain) {
    case Grain::Day:
      return "day";
    case Grain::Week:
      return "week";
    case Grain::Month:
      return "month";
  }
  return "unknown";
}

std::string period_start(std::string_view day, Grain grain) {
  using namespace std::chrono;
  const auto ymd = parse_day(day);
  if (!ymd) return "";
  switch (grain) {
    case Grain::Day:
      return std::string(day);
    case Grain::Month:
      return std::string(day.substr(0, 8)) + "01";
    case Grain::Week: {
      const sys_days date{*ymd};
      return format_day(year_month_day{date - days{weekday{date}.iso_encoding() - 1}});
    }
  }
  return "";
}

Grain totals_grain(const AggregateQuery& query) {
  using namespace std::chrono;
  // from must be a period's first day and to its last (the day after `to` starts a period).
  auto aligned = [&](Grain grain) {
    if (query.from && period_start(*query.from, grain) != *query.from) return false;
    if (!query.to) return true;
    const auto ymd = parse_day(*query.to);
    if (!ymd) return false;
    const std::string next_day = format_day(year_month_day{sys_days{*ymd} + days{1}});
    return period_start(next_day, grain) == next_day;
  };
  const auto has = [&](Dimension d) {
    return std::find(query.group_by.begin(), query.group_by.end(), d) != query.group_by.end();
  };
  if (has(Dimension::Day)) return Grain::Day;
  if (has(Dimension::Week)) return aligned(Grain::Week) ? Grain::Week : Grain::Day;
  if (has(Dimension::Month)) return aligned(Grain::Month) ? Grain::Month : Grain::Day;
  if (aligned(Grain::Month)) return Grain::Month;
  return aligned(Grain::Week) ? Grain::Week : Grain::Day;
}

std::string month_label(std::string_view day) {
  if (!parse_day(day)) return "";
  return std::string(day.substr(0, 7));
}

Expected<AggregateQuery, ParamError> parse_query(const std::map<std::string, std::string>& params) {
  AggregateQuery q;
  for (const auto& [name, value] : params) {
    std::optional<std::string>* filter = name == "survey"     ? &q.survey
                                         : name == "site"     ? &q.site
                                         : name == "event"    ? &q.event
                                         : name == "language" ? &q.language
                                         : name == "from"     ? &q.from
                                         : name == "to"       ? &q.to
                                                              : nullptr;
    if (filter != nullptr) {
      if (value.empty()) continue;
      if ((name == "from" || name == "to") && !is_calendar_date(value))
        return param_error(name, "must be a calendar date YYYY-MM-DD, not " + quoted(value));
      *filter = value;
    } else if (name == "group_by") {
      std::size_t start = 0;
      while (!value.empty() && start <= value.size()) {
        const std::size_t comma = std::min(value.find(',', start), value.size());
        std::string_view item(value.data() + start, comma - start);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        const auto d = dimension_from_string(item);
        if (!d)
          return param_error(
              name, (item.empty() ? std::string("empty dimension") : "unknown dimension " + quoted(item)) +
                        "; use site, event, survey, language, day, week or month");
        if (std::find(q.group_by.begin(), q.group_by.end(), *d) != q.group_by.end())
          return param_error(name, "dimension " + quoted(item) + " is repeated");
        if (is_time(*d)) {
          for (Dimension other : q.group_by)
            if (is_time(other))
              return param_error(name, std::string("at most one of day, week and month; got ") +
                                           to_string(other) + " and " + to_string(*d));
        }
        q.group_by.push_back(*d);
        start = comma + 1;
      }
    } else if (name == "k") {
      int k = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), k);
      const bool digits = !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
      if (!digits || ec != std::errc() || end != value.data() + value.size() || k > kMaxK)
        return param_error(name, "must be an integer from " + std::to_string(kMinK) + " to " +
                                     std::to_string(kMaxK) + ", not " + quoted(value));
      if (k < kMinK)
        return param_error(name, "must be at least " + std::to_string(kMinK) +
                                     " (smaller cells could identify "
                                     "residents), not " +
                                     value);
      q.k = k;
    } else if (name == "include_misuse") {
      if (value == "true" || value == "1")
        q.include_misuse = true;
      else if (value == "false" || value == "0" || value.empty())
        q.include_misuse = false;
      else
        return param_error(name, "must be true or false, not " + quoted(value));
    } else {
      return param_error(name,
                         "unknown parameter; use survey, site, event, language, from, to, group_by, k or "
                         "include_misuse");
    }
  }
  if (q.from && q.to && *q.from > *q.to)
    return param_error("from", "must not be after to (" + *q.from + " > " + *q.to + ")");
  return q;
}

std::vector<PartialCell> to_partials(const std::vector<ResponseFact>& facts) {
  std::vector<PartialCell> out;
  std::unordered_map<std::string, std::size_t> index;
  std::string key;  // reused: one allocation, not one per fact
  for (const ResponseFact& f : facts) {
    key.clear();
    for (const std::string* part : {&f.site, &f.event, &f.survey_id, &f.language, &f.day})
      key.append(*part).push_back('\x1f');
    key.push_back(f.misuse ? '1' : '0');
    auto [it, fresh] = index.try_emplace(key, out.size());
    if (fresh)
      out.push_back(PartialCell{f.site, f.event, f.survey_id, f.language, f.day, f.misuse, 0, 0, {}});
    PartialCell& p = out[it->second];
    p.responses += 1;
    p.thanks += f.thanks ? 1 : 0;
    for (const ResponseFact::Rating& r : f.ratings) {
      if (r.value < model::kRatingMin || r.value > model::kRatingMax) continue;
      // A partial holds the few questions of a survey's versions: a linear scan beats hashing a built key.
      auto q = std::find_if(p.ratings.begin(), p.ratings.end(), [&](const RatingCounts& c) {
        return c.pillar == r.pillar && c.question_id == r.question_id;
      });
      if (q == p.ratings.end()) q = p.ratings.insert(q, RatingCounts{r.question_id, r.pillar, {}});
      q->counts[static_cast<std::size_t>(r.value - 1)] += 1;
    }
  }
  return out;
}

AggregateResult aggregate(const std::vector<ResponseFact>& facts, const AggregateQuery& query) {
  return aggregate_partials(to_partials(facts), query);
}

AggregateResult aggregate_partials(const std::vector<PartialCell>& partials, const AggregateQuery& query) {
  AggregateResult result;
  result.k = std::max(query.k, kMinK);
  for (Dimension d : query.group_by) result.dimensions.emplace_back(to_string(d));

  std::unordered_map<std::string, std::string> weeks;  // day → ISO week, computed once per distinct day
  std::unordered_map<std::string, std::size_t> index;
  std::vector<CellAcc> cells;
  CellAcc total;
  long long excluded = 0;
  auto matches = [](const std::optional<std::string>& filter, const std::string& value) {
    return !filter || *filter == value;
  };
  for (const PartialCell& p : partials) {
    if (!matches(query.survey, p.survey_id) || !matches(query.site, p.site) ||
        !matches(query.event, p.event) || !matches(query.language, p.language))
      continue;
    if ((query.from && p.day < *query.from) || (query.to && p.day > *query.to))
      continue;  // ISO days sort as text
    if (p.misuse && !query.include_misuse) {
      excluded += p.responses;
      continue;
    }
    total.add(p);
    if (query.group_by.empty()) continue;
    std::vector<std::string> key;
    std::string joined;
    for (Dimension d : query.group_by) {
      switch (d) {
        case Dimension::Site:
          key.push_back(p.site);
          break;
        case Dimension::Event:
          key.push_back(p.event);
          break;
        case Dimension::Survey:
          key.push_back(p.survey_id);
          break;
        case Dimension::Language:
          key.push_back(p.language);
          break;
        case Dimension::Day:
          key.push_back(p.day);
          break;
        case Dimension::Month:
          key.push_back(month_label(p.day));
          break;
        case Dimension::Week: {
          auto [it, fresh] = weeks.try_emplace(p.day);
          if (fresh) it->second = iso_week_label(p.day);
          key.push_back(it->second);
          break;
        }
      }
      joined.append(key.back()).push_back('\x1f');
    }
    auto [it, fresh] = index.try_emplace(joined, cells.size());
    if (fresh) {
      cells.emplace_back();
      cells.back().key = std::move(key);
    }
    cells[it->second].add(p);
  }

  std::sort(cells.begin(), cells.end(), [](const CellAcc& a, const CellAcc& b) { return a.key < b.key; });
  const std::vector<State> states =
      cells.empty() ? std::vector<State>{} : Suppressor(cells, query.group_by.size(), result.k).run();
  for (std::size_t i = 0; i < cells.size(); ++i) {
    switch (states[i]) {
      case State::Visible:
        result.cells.push_back(visible_cell(cells[i]));
        break;
      case State::BelowK:
        result.cells.push_back(suppressed_cell(cells[i].key, "below_k"));
        break;
      case State::Complementary:
        result.cells.push_back(suppressed_cell(cells[i].key, "complementary"));
        break;
    }
  }
  if (total.responses < result.k) {
    result.total = suppressed_cell({}, "below_k");
  } else {
    result.total = visible_cell(total);
    result.excluded_misuse = static_cast<int>(excluded);
  }
  return result;
}

}  // namespace fk::central
