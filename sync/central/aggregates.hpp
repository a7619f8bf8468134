// The aggregation engine behind GET /api/v1/aggregates: counts, means, distributions and positive-impression
// rates per cell of a grouping, with small cells suppressed so that no resident can be singled out.
// Pure computation: no HTTP, no SQL, no free text (a fact carries only a thank-you *flag*).
//
// Privacy rules (DESIGN.md guarantee 8). k is the minimum number of responses in a visible cell (default 5,
// never below 3).
//
//  1. Primary suppression. A cell with fewer than k responses is suppressed, reason "below_k". The total (all
//     matching responses, no grouping) obeys the same rule. A suppressed cell carries its key and the reason
//     only: responses, thanks and every statistic are zero/empty.
//
//  2. Complementary suppression. An analyst can ask again with fewer dimensions, so every margin of the table
//     (the cells sharing the values of some dimensions, summed over the others — the total included) must be
//     assumed visible. Subtracting a line's visible cells from its margin yields the suppressed cells of the
//     line *pooled*; and the suppression reasons are published, so "below_k" tells the attacker 1..k-1 and
//     "complementary" tells them >= k (a listed cell has at least one response). A group G of cells (all
//     cells sharing the key values of the dimensions not summed over; the one-dimension lines, every larger
//     margin and the whole table) is *exposed* when it has suppressed cells and
//       - exactly one of them (the margin minus the visible cells is that cell), or
//       - they pool fewer than k responses (margin minus visible = statistics of fewer than k people), or
//       - their pooled count equals the sum of their lower bounds (1 per below_k, k per complementary):
//         then each is pinned to its bound, e.g. a below_k cell of 1 beside a complementary cell of exactly
//         k.
//     While a group is exposed and has visible cells, one more of them is suppressed ("complementary"),
//     chosen by, in order: not leaving another group exposed with no visible cell left to fix it; making G
//     safe on its own; needing the fewest new partners (prefer a cell whose other lines already hold a
//     suppressed cell, so it does double duty); fewest responses; first by key. Groups are re-examined
//     until nothing changes (a work list: each suppression re-queues the groups of that cell).
//     A group with no visible cell whose suppressed cells pool fewer than k is safe: its margin is itself a
//     cell of fewer than k responses in the query without those dimensions, suppressed there by rule 1. This
//     is the case of a line holding one suppressed cell only (its margin equals the cell).
//     Whole-result numbers: `excluded_misuse` (flagged responses left out) is reported only when the total is
//     visible, else 0, since it describes the same responses as the total.
//
//  3. Inside a visible cell (>= k responses) every per-question and per-pillar statistic is shown as
//     computed, even when a question was answered by fewer than k of those responses (partial responses).
//
// Limits, stated rather than hidden:
//  - Differencing two queries of the same shape (a date range one day longer, include_misuse true vs false,
//    the same query before and after a response arrives) can isolate a response; that is out of scope here
//    and belongs to the API's auditing/rate limits.
//  - The line rules are the usual heuristic, not a full linear-programming audit: in tables of two or more
//    dimensions a pattern of suppressed cells joined by a single cell (a "bridge") can still be solved by
//    combining several lines. tests/sync/central/aggregates_test.cpp attacks its fixture exhaustively.
//  - Homogeneity (every response of a visible cell gave the same answer) is visible by design.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/model/expected.hpp"
#include "sync/model/survey.hpp"

namespace fk::central {

using model::Pillar;

inline constexpr int kDefaultK = 5;
inline constexpr int kMinK = 3;          // a smaller k is refused: it would publish pairs
inline constexpr int kMaxK = 1'000'000;  // bound on the parameter, far above any useful value

enum class Dimension { Site, Event, Survey, Language, Day, Week, Month };
const char* to_string(Dimension dimension);  // "site", "event", … as in group_by
std::optional<Dimension> dimension_from_string(std::string_view s);

// One stored response, reduced to what aggregates may see. Free text, employee names and contact details
// never reach the engine.
struct ResponseFact {
  std::string site;       // the kiosk's division, e.g. "Central Division"
  std::string event;      // empty when not collected at an event
  std::string survey_id;  // versions are irrelevant: ratings aggregate by question id
  std::string language;   // "en", "es", …
  std::string day;        // "YYYY-MM-DD" (UTC) of the visit
  bool misuse = false;    // flagged as misuse: excluded by default, counted
  bool partial = false;   // counts as a response; its unanswered questions just have fewer ratings
  bool thanks = false;    // carries a thank-you note
  struct Rating {
    std::string question_id;
    Pillar pillar = Pillar::None;
    int value = 0;  // 1..5; anything else is ignored (the wire codec already refuses it)
  };
  std::vector<Rating> ratings;
};

struct AggregateQuery {
  // Filters; unset = all. from/to are inclusive days "YYYY-MM-DD".
  std::optional<std::string> survey, site, event, language, from, to;
  std::vector<Dimension> group_by;  // no repeats; at most one of Day, Week, Month
  int k = kDefaultK;                // aggregate() raises anything below kMinK to kMinK
  bool include_misuse = false;
};

struct ParamError {
  std::string parameter;  // the offending parameter, e.g. "group_by"
  std::string message;    // a sentence for the client, starting with the parameter's name
};

// Reads HTTP-style parameters: survey, site, event, language, from, to, group_by (comma-separated),
// k, include_misuse (true/false/1/0). An empty value means unset. Unknown names are refused, so transport
// parameters (e.g. format=csv) must be taken out by the handler first.
Expected<AggregateQuery, ParamError> parse_query(const std::map<std::string, std::string>& params);

// Pre-aggregated input, so the storage layer can push GROUP BY down: one row per
// (site, event, survey, language, day, misuse) with its counts. Misuse is part of the key, not a count,
// because include_misuse decides whether those rows' ratings count.
struct RatingCounts {
  std::string question_id;
  Pillar pillar = Pillar::None;
  std::array<int, 5> counts{};  // counts[v-1] = number of ratings with value v
};
struct PartialCell {
  std::string site, event, survey_id, language, day;
  bool misuse = false;
  int responses = 0;
  int thanks = 0;  // responses carrying a thank-you note
  std::vector<RatingCounts> ratings;
};

struct RatingStats {
  std::string question_id;
  Pillar pillar =
      Pillar::None;  // if versions disagree, the lowest pillar seen (pillar stats use each rating's own)
  int n = 0;
  double mean = 0;
  std::array<int, 5> distribution{};  // distribution[v-1] = ratings with value v
  double top_two_share = 0;           // share of 4s and 5s among n: the "positive impression rate"
};

struct PillarStats {  // over all ratings of that pillar in the cell
  Pillar pillar = Pillar::None;
  int n = 0;
  double mean = 0;
  double top_two_share = 0;
};

struct Cell {
  std::vector<std::string> key;  // one value per group_by dimension, in order; empty for the total
  bool suppressed = false;
  std::string suppression;             // "" | "below_k" | "complementary"
  int responses = 0;                   // 0 when suppressed
  std::vector<RatingStats> questions;  // sorted by question id; empty when suppressed
  std::vector<PillarStats>
      pillars;     // overall, empathize, educate, exceed (those present); Pillar::None left out
  int thanks = 0;  // 0 when suppressed
};

struct AggregateResult {
  std::vector<std::string> dimensions;  // group_by names, in order
  std::vector<Cell> cells;  // sorted by key; only combinations that hold a response; none without grouping
  Cell total;
  int excluded_misuse =
      0;              // misuse responses left out by include_misuse=false; 0 when the total is suppressed
  int k = kDefaultK;  // the k applied
};

// O(facts): hash maps, no per-cell rescans. Implemented as aggregate_partials(to_partials(facts), query).
AggregateResult aggregate(const std::vector<ResponseFact>& facts, const AggregateQuery& query);
AggregateResult aggregate_partials(const std::vector<PartialCell>& partials, const AggregateQuery& query);
// What the storage layer's GROUP BY computes: facts collapsed per (site, event, survey, language, day,
// misuse).
std::vector<PartialCell> to_partials(const std::vector<ResponseFact>& facts);

// The grain of the totals a query can be answered from. The store keeps totals per day, and per ISO week and
// per calendar month; a week or month row carries its first day in PartialCell::day. A coarser grain reads
// about 7 (30) times fewer rows and gives the same result whenever every filter and group_by dimension is a
// union of whole periods.
enum class Grain { Day, Week, Month };
const char* to_string(Grain grain);
// The coarsest grain that answers `query` exactly: Day when it groups by day or its from/to cut a period;
// Week or Month when its grouping needs that period (or none) and from/to fall on the period's boundaries.
Grain totals_grain(const AggregateQuery& query);
// The first day of `day`'s period: itself, the Monday of its ISO week, or the 1st of its month; "" when not
// a date.
std::string period_start(std::string_view day, Grain grain);

// Calendar helpers (UTC days "YYYY-MM-DD").
bool is_calendar_date(std::string_view day);       // a real date: 2026-02-29 is not
std::string iso_week_label(std::string_view day);  // ISO 8601 week, "2026-W47"; "" when not a date
std::string month_label(std::string_view day);     // "2026-11"; "" when not a date

}  // namespace fk::central
