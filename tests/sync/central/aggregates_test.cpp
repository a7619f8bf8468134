// The aggregation engine against a fixture whose numbers were worked out by hand (in the comments), the k
// rules with hand-drawn tables, an exhaustive attacker on the visible numbers, parse_query's errors, ISO
// weeks.
#include "sync/central/aggregates.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <limits>
#include <map>
#include <set>

using namespace fk::central;
using fk::model::Pillar;

namespace {

const std::string C = "Central Division";
const std::string H = "Harbor Division";
const std::string V = "Valley Division";
const std::string HNO = "Harbor Night Out";

// Survey "lobby": overall (overall), listened (empathize), explained (educate).
// Survey "event": overall (overall), respect (empathize), beyond (exceed). "overall" is shared by id.
Pillar pillar_of(const std::string& question) {
  if (question == "overall") return Pillar::Overall;
  if (question == "listened" || question == "respect") return Pillar::Empathize;
  if (question == "explained") return Pillar::Educate;
  return Pillar::Exceed;
}

struct F {
  ResponseFact fact;
  F(std::string site, std::string day, std::string survey, std::string language,
    std::vector<std::pair<std::string, int>> ratings) {
    fact.site = std::move(site);
    fact.day = std::move(day);
    fact.survey_id = std::move(survey);
    fact.language = std::move(language);
    for (auto& [q, v] : ratings) fact.ratings.push_back({q, pillar_of(q), v});
  }
  F& thanks() {
    fact.thanks = true;
    return *this;
  }
  F& misuse() {
    fact.misuse = true;
    return *this;
  }
  F& partial() {
    fact.partial = true;
    return *this;
  }
  F& at(std::string event) {
    fact.event = std::move(event);
    return *this;
  }
};

ResponseFact lobby(const std::string& site, const std::string& day, const std::string& lang, int ov, int li,
                   int ex, bool thanks = false) {
  F f(site, day, "lobby", lang, {{"overall", ov}, {"listened", li}, {"explained", ex}});
  if (thanks) f.thanks();
  return f.fact;
}

// The fixture: 30 ordinary responses + 2 flagged as misuse, 3 sites, weeks 2026-W47 (Nov 16-22) and
// 2026-W48 (Nov 23-29), en/es, surveys lobby/event. Responses per (site, week), misuse excluded:
//
//              W47   W48  | site
//   Central      6     5  |  11
//   Harbor       7     1  |   8     <- #19 is alone in (Harbor, W48)
//   Valley       3     8  |  11
//   week        16    14  |  30
std::vector<ResponseFact> fixture(bool with_lonely = true) {
  std::vector<ResponseFact> f;
  // Central W47
  f.push_back(lobby(C, "2026-11-16", "en", 5, 5, 4, true));                         // #1
  f.push_back(lobby(C, "2026-11-17", "en", 4, 4, 4));                               // #2
  f.push_back(lobby(C, "2026-11-18", "es", 3, 2, 3));                               // #3
  f.push_back(lobby(C, "2026-11-19", "en", 5, 5, 5, true));                         // #4
  f.push_back(lobby(C, "2026-11-20", "es", 2, 1, 2));                               // #5
  f.push_back(F(C, "2026-11-22", "lobby", "en", {{"overall", 4}}).partial().fact);  // #6
  // Central W48
  f.push_back(lobby(C, "2026-11-23", "en", 5, 4, 5));        // #7
  f.push_back(lobby(C, "2026-11-24", "en", 1, 1, 1));        // #8
  f.push_back(lobby(C, "2026-11-25", "es", 4, 5, 4, true));  // #9
  f.push_back(lobby(C, "2026-11-27", "en", 5, 5, 5));        // #10
  f.push_back(lobby(C, "2026-11-29", "es", 3, 3, 2));        // #11
  // Harbor W47: three in the lobby, four at the Harbor Night Out event on the 21st
  f.push_back(lobby(H, "2026-11-16", "en", 4, 4, 3));        // #12
  f.push_back(lobby(H, "2026-11-18", "es", 5, 5, 5, true));  // #13
  f.push_back(lobby(H, "2026-11-20", "en", 2, 3, 2));        // #14
  f.push_back(F(H, "2026-11-21", "event", "en", {{"overall", 5}, {"respect", 5}, {"beyond", 5}})
                  .at(HNO)
                  .thanks()
                  .fact);  // #15
  f.push_back(F(H, "2026-11-21", "event", "es", {{"overall", 4}, {"respect", 4}, {"beyond", 5}})
                  .at(HNO)
                  .fact);  // #16
  f.push_back(F(H, "2026-11-21", "event", "en", {{"overall", 5}, {"respect", 5}, {"beyond", 4}})
                  .at(HNO)
                  .fact);                                                                   // #17
  f.push_back(F(H, "2026-11-21", "event", "es", {{"overall", 3}}).at(HNO).partial().fact);  // #18
  // Harbor W48: the lonely complaint
  if (with_lonely) f.push_back(lobby(H, "2026-11-26", "es", 1, 2, 1));  // #19
  // Valley W47
  f.push_back(lobby(V, "2026-11-17", "en", 4, 4, 4));  // #20
  f.push_back(lobby(V, "2026-11-19", "en", 5, 4, 5));  // #21
  f.push_back(lobby(V, "2026-11-22", "es", 3, 3, 4));  // #22
  // Valley W48
  f.push_back(lobby(V, "2026-11-23", "en", 5, 5, 5, true));                         // #23
  f.push_back(lobby(V, "2026-11-23", "en", 4, 4, 3));                               // #24
  f.push_back(lobby(V, "2026-11-24", "es", 4, 5, 4));                               // #25
  f.push_back(lobby(V, "2026-11-25", "en", 2, 2, 3));                               // #26
  f.push_back(lobby(V, "2026-11-26", "en", 5, 5, 5));                               // #27
  f.push_back(lobby(V, "2026-11-27", "es", 3, 4, 4));                               // #28
  f.push_back(lobby(V, "2026-11-28", "en", 4, 3, 4));                               // #29
  f.push_back(F(V, "2026-11-29", "lobby", "en", {{"overall", 5}}).partial().fact);  // #30
  // Misuse: excluded unless include_misuse
  f.push_back(F(C, "2026-11-18", "lobby", "en", {{"overall", 1}, {"listened", 1}, {"explained", 1}})
                  .misuse()
                  .fact);  // #31
  f.push_back(F(V, "2026-11-24", "lobby", "en", {{"overall", 1}, {"listened", 1}, {"explained", 1}})
                  .misuse()
                  .thanks()
                  .fact);  // #32
  return f;
}

bool same(const Cell& a, const Cell& b) {
  if (a.key != b.key || a.suppressed != b.suppressed || a.suppression != b.suppression ||
      a.responses != b.responses || a.thanks != b.thanks || a.questions.size() != b.questions.size() ||
      a.pillars.size() != b.pillars.size())
    return false;
  for (std::size_t i = 0; i < a.questions.size(); ++i) {
    const RatingStats &x = a.questions[i], &y = b.questions[i];
    if (x.question_id != y.question_id || x.pillar != y.pillar || x.n != y.n || x.mean != y.mean ||
        x.distribution != y.distribution || x.top_two_share != y.top_two_share)
      return false;
  }
  for (std::size_t i = 0; i < a.pillars.size(); ++i) {
    const PillarStats &x = a.pillars[i], &y = b.pillars[i];
    if (x.pillar != y.pillar || x.n != y.n || x.mean != y.mean || x.top_two_share != y.top_two_share)
      return false;
  }
  return true;
}

bool same(const AggregateResult& a, const AggregateResult& b) {
  if (a.dimensions != b.dimensions || a.excluded_misuse != b.excluded_misuse || a.k != b.k ||
      a.cells.size() != b.cells.size() || !same(a.total, b.total))
    return false;
  for (std::size_t i = 0; i < a.cells.size(); ++i)
    if (!same(a.cells[i], b.cells[i])) return false;
  return true;
}

// One partial per fact, in reverse order: what a storage layer that groups nothing would push.
std::vector<PartialCell> one_partial_per_fact(const std::vector<ResponseFact>& facts) {
  std::vector<PartialCell> out;
  for (auto it = facts.rbegin(); it != facts.rend(); ++it) {
    const auto collapsed = to_partials({*it});
    out.insert(out.end(), collapsed.begin(), collapsed.end());
  }
  return out;
}

// Every test goes through here: aggregate() (facts collapsed by to_partials) and aggregate_partials() on
// uncollapsed, reordered partials must agree exactly.
AggregateResult run(const std::vector<ResponseFact>& facts, const AggregateQuery& q) {
  AggregateResult a = aggregate(facts, q);
  REQUIRE(same(a, aggregate_partials(one_partial_per_fact(facts), q)));
  return a;
}

AggregateQuery query(std::vector<Dimension> group_by = {}, int k = 5) {
  AggregateQuery q;
  q.group_by = std::move(group_by);
  q.k = k;
  return q;
}

const Cell& cell(const AggregateResult& r, const std::vector<std::string>& key) {
  for (const Cell& c : r.cells)
    if (c.key == key) return c;
  FAIL("no cell " << Catch::Detail::stringify(key));
  throw 0;
}

const RatingStats& question(const Cell& c, const std::string& id) {
  for (const RatingStats& s : c.questions)
    if (s.question_id == id) return s;
  FAIL("no question " << id);
  throw 0;
}

const PillarStats& pillar(const Cell& c, Pillar p) {
  for (const PillarStats& s : c.pillars)
    if (s.pillar == p) return s;
  FAIL("no pillar " << fk::model::to_string(p));
  throw 0;
}

void check(const RatingStats& s, int n, double mean, std::array<int, 5> dist, double top_two) {
  INFO(s.question_id);
  CHECK(s.n == n);
  CHECK(s.mean == Approx(mean));
  CHECK(s.distribution == dist);
  CHECK(s.top_two_share == Approx(top_two));
}

void check(const PillarStats& s, int n, double mean, double top_two) {
  INFO(fk::model::to_string(s.pillar));
  CHECK(s.n == n);
  CHECK(s.mean == Approx(mean));
  CHECK(s.top_two_share == Approx(top_two));
}

void check_hidden(const Cell& c, const std::string& reason) {
  INFO(Catch::Detail::stringify(c.key));
  CHECK(c.suppressed);
  CHECK(c.suppression == reason);
  CHECK(c.responses == 0);
  CHECK(c.thanks == 0);
  CHECK(c.questions.empty());
  CHECK(c.pillars.empty());
}

std::vector<std::string> states(const AggregateResult& r) {
  std::vector<std::string> out;
  for (const Cell& c : r.cells) out.push_back(c.suppressed ? c.suppression : std::to_string(c.responses));
  return out;
}

}  // namespace

TEST_CASE("no grouping: the whole fixture, counted by hand", "[aggregates]") {
  const AggregateResult r = run(fixture(), query());
  CHECK(r.dimensions.empty());
  CHECK(r.cells.empty());
  CHECK(r.k == 5);
  const Cell& t = r.total;
  CHECK_FALSE(t.suppressed);
  CHECK(t.key.empty());
  CHECK(t.responses == 30);
  CHECK(r.excluded_misuse == 2);  // #31, #32
  CHECK(t.thanks == 6);           // #1 #4 #9 #13 #15 #23 (#32's is misuse)
  // Questions come sorted by id.
  std::vector<std::string> ids;
  for (const RatingStats& s : t.questions) ids.push_back(s.question_id);
  CHECK(ids == std::vector<std::string>{"beyond", "explained", "listened", "overall", "respect"});
  // overall, all 30: sums per (site, week) 23+18+28+1+12+32 = 114; 1s: #8 #19; 2s: #5 #14 #26;
  // 3s: #3 #11 #18 #22 #28; 4s: nine; 5s: eleven. Top two = 20/30.
  check(question(t, "overall"), 30, 114.0 / 30, {2, 3, 5, 9, 11}, 20.0 / 30);
  CHECK(question(t, "overall").pillar == Pillar::Overall);
  // listened: 24 lobby responses that are not partial; sums 17+18+12+2+11+28 = 88.
  check(question(t, "listened"), 24, 88.0 / 24, {2, 3, 4, 7, 8}, 15.0 / 24);
  // explained: 18+17+10+1+13+28 = 87.
  check(question(t, "explained"), 24, 87.0 / 24, {2, 3, 4, 8, 7}, 15.0 / 24);
  check(question(t, "respect"), 3, 14.0 / 3, {0, 0, 0, 1, 2}, 1.0);  // 5, 4, 5
  check(question(t, "beyond"), 3, 14.0 / 3, {0, 0, 0, 1, 2}, 1.0);   // 5, 5, 4
  REQUIRE(t.pillars.size() == 4);
  CHECK(t.pillars[0].pillar == Pillar::Overall);
  CHECK(t.pillars[1].pillar == Pillar::Empathize);
  CHECK(t.pillars[2].pillar == Pillar::Educate);
  CHECK(t.pillars[3].pillar == Pillar::Exceed);
  check(pillar(t, Pillar::Overall), 30, 114.0 / 30, 20.0 / 30);
  // empathize = listened + respect: n 24+3 = 27, sum 88+14 = 102, top two 15+3 = 18.
  check(pillar(t, Pillar::Empathize), 27, 102.0 / 27, 18.0 / 27);
  check(pillar(t, Pillar::Educate), 24, 87.0 / 24, 15.0 / 24);
  check(pillar(t, Pillar::Exceed), 3, 14.0 / 3, 1.0);

  SECTION("include_misuse counts the two flagged responses and excludes nothing") {
    AggregateQuery q = query();
    q.include_misuse = true;
    const AggregateResult m = run(fixture(), q);
    CHECK(m.total.responses == 32);
    CHECK(m.excluded_misuse == 0);
    CHECK(m.total.thanks == 7);
    // two more 1s: sum 116 over 32
    check(question(m.total, "overall"), 32, 116.0 / 32, {4, 3, 5, 9, 11}, 20.0 / 32);
    check(question(m.total, "listened"), 26, 90.0 / 26, {4, 3, 4, 7, 8}, 15.0 / 26);
  }
}

TEST_CASE("group_by=site: three visible cells, counted by hand", "[aggregates]") {
  const AggregateResult r = run(fixture(), query({Dimension::Site}));
  CHECK(r.dimensions == std::vector<std::string>{"site"});
  REQUIRE(r.cells.size() == 3);
  CHECK(r.cells[0].key == std::vector<std::string>{C});
  CHECK(r.cells[1].key == std::vector<std::string>{H});
  CHECK(r.cells[2].key == std::vector<std::string>{V});
  CHECK(r.total.responses == 30);
  CHECK(r.excluded_misuse == 2);

  // Central: #1-#11. overall 5,4,3,5,2,4,5,1,4,5,3 = 41; listened (not #6) 5,4,2,5,1,4,1,5,5,3 = 35;
  // explained 4,4,3,5,2,5,1,4,5,2 = 35. Thanks #1 #4 #9.
  const Cell& central = cell(r, {C});
  CHECK_FALSE(central.suppressed);
  CHECK(central.responses == 11);
  CHECK(central.thanks == 3);
  check(question(central, "overall"), 11, 41.0 / 11, {1, 1, 2, 3, 4}, 7.0 / 11);
  check(question(central, "listened"), 10, 3.5, {2, 1, 1, 2, 4}, 0.6);
  check(question(central, "explained"), 10, 3.5, {1, 2, 1, 3, 3}, 0.6);
  CHECK(central.pillars.size() == 3);  // no exceed question in the lobby survey
  check(pillar(central, Pillar::Empathize), 10, 3.5, 0.6);

  // Harbor: #12-#19. overall 4,5,2,5,4,5,3,1 = 29; listened 4,5,3,2; explained 3,5,2,1 = 11;
  // respect 5,4,5; beyond 5,5,4. Empathize = listened + respect: 14+14 = 28 over 7, top two 2+3 = 5.
  const Cell& harbor = cell(r, {H});
  CHECK(harbor.responses == 8);
  CHECK(harbor.thanks == 2);  // #13 #15
  check(question(harbor, "overall"), 8, 29.0 / 8, {1, 1, 1, 2, 3}, 5.0 / 8);
  check(question(harbor, "listened"), 4, 3.5, {0, 1, 1, 1, 1}, 0.5);
  check(question(harbor, "explained"), 4, 2.75, {1, 1, 1, 0, 1}, 0.25);
  check(pillar(harbor, Pillar::Empathize), 7, 4.0, 5.0 / 7);
  check(pillar(harbor, Pillar::Exceed), 3, 14.0 / 3, 1.0);

  // Valley: #20-#30 (#32 is misuse). overall 4,5,3,5,4,4,2,5,3,4,5 = 44; listened 4,4,3,5,4,5,2,5,4,3 = 39;
  // explained 4,5,4,5,3,4,3,5,4,4 = 41.
  const Cell& valley = cell(r, {V});
  CHECK(valley.responses == 11);
  CHECK(valley.thanks == 1);  // #23; misuse #32's note is not counted
  check(question(valley, "overall"), 11, 4.0, {0, 1, 2, 4, 4}, 8.0 / 11);
  check(question(valley, "listened"), 10, 3.9, {0, 1, 2, 4, 3}, 0.7);
  check(question(valley, "explained"), 10, 4.1, {0, 0, 2, 5, 3}, 0.8);
}

// The 2-D table at k = 5, as the work list processes it (columns = lines along site first, then rows =
// lines along week, then the whole table):
//
//              W47     W48           step
//   Central      6       5           -
//   Harbor       7 c     1 below_k   1. Harbor W48 and Valley W47 are below k.
//   Valley       3 b     8 c         2. column W47 has one suppressed (V3): candidates C6, H7 both make the
//                                       column safe; H7's row (Harbor) already holds a suppressed cell, C6's
//                                       row holds none (it would need a partner in turn) → H7.
//                                    3. column W48 has one (H1): C5 is smaller, but {H1 below_k, C5 compl.}
//                                       pool 6 = 1 + 5, their lower bounds: an attacker reads H = 1 from
//                                       W48 14 - V8 = 6 and C >= 5. V8 (pool 9) is safe, and its row
//                                       (Valley) already holds V3 → V8.
//                                    4. rows: Harbor {7c, 1b}, Valley {3b, 8c}: two each, pooled 8 and 11
//                                       over bounds 6 → safe; Central untouched; table: 4 suppressed, safe.
// (The plain rule "the smallest cell of the line" would have taken C6 and C5, then hidden every cell.)
//
// At k = 3 Valley W47 (3) is visible and only Harbor W48 is primary:
//              W47     W48
//   Central      6 c     5 c         column W48 has one: C5 and V8 both pool enough (bounds 1 + 3) and both
//   Harbor       7 c     1 below_k   rows are clean → the smaller, C5. Row Central then has one (C5): C6.
//   Valley       3       8           Row Harbor has one (H1): H7 (column W47 already holds C6).
TEST_CASE("group_by=site,week: primary and complementary suppression in 2-D, k=5 vs k=3", "[aggregates]") {
  const AggregateResult r5 = run(fixture(), query({Dimension::Site, Dimension::Week}, 5));
  CHECK(r5.dimensions == std::vector<std::string>{"site", "week"});
  REQUIRE(r5.cells.size() == 6);
  CHECK(r5.cells[0].key == std::vector<std::string>{C, "2026-W47"});
  CHECK(r5.cells[5].key == std::vector<std::string>{V, "2026-W48"});
  CHECK(states(r5) ==
        std::vector<std::string>{"6", "5", "complementary", "below_k", "below_k", "complementary"});
  check_hidden(cell(r5, {H, "2026-W47"}), "complementary");
  check_hidden(cell(r5, {H, "2026-W48"}), "below_k");
  check_hidden(cell(r5, {V, "2026-W47"}), "below_k");
  check_hidden(cell(r5, {V, "2026-W48"}), "complementary");
  CHECK(r5.total.responses == 30);
  CHECK(r5.excluded_misuse == 2);

  // Central W47: #1-#6. overall 5,4,3,5,2,4 = 23; listened 5,4,2,5,1 = 17; explained 4,4,3,5,2 = 18.
  const Cell& c47 = cell(r5, {C, "2026-W47"});
  CHECK(c47.responses == 6);
  CHECK(c47.thanks == 2);
  check(question(c47, "overall"), 6, 23.0 / 6, {0, 1, 1, 2, 2}, 4.0 / 6);
  check(question(c47, "listened"), 5, 3.4, {1, 1, 0, 1, 2}, 0.6);
  check(question(c47, "explained"), 5, 3.6, {0, 1, 1, 2, 1}, 0.6);
  check(pillar(c47, Pillar::Overall), 6, 23.0 / 6, 4.0 / 6);
  // Central W48: #7-#11. overall 5,1,4,5,3 = 18.
  const Cell& c48 = cell(r5, {C, "2026-W48"});
  CHECK(c48.responses == 5);
  CHECK(c48.thanks == 1);
  check(question(c48, "overall"), 5, 3.6, {1, 0, 1, 1, 2}, 0.6);

  const AggregateResult r3 = run(fixture(), query({Dimension::Site, Dimension::Week}, 3));
  CHECK(r3.k == 3);
  CHECK(states(r3) ==
        std::vector<std::string>{"complementary", "complementary", "complementary", "below_k", "3", "8"});
  // Valley W47: #20-#22. overall 4,5,3 = 12.
  const Cell& v47 = cell(r3, {V, "2026-W47"});
  CHECK(v47.thanks == 0);
  check(question(v47, "overall"), 3, 4.0, {0, 0, 1, 1, 1}, 2.0 / 3);
}

// 1-D, week 48 only (from/to), by site, k = 5:
//   Central 5, Harbor 1 (below_k), Valley 8; total 14 visible.
//   The line (the whole table) has one suppressed cell. The smallest other cell, Central 5, would pool
//   1 + 5 = 6 = their lower bounds (1 for below_k, 5 for complementary): Harbor + Central = 14 - 8 = 6 with
//   Central >= 5 gives Harbor = 1 exactly. So Valley 8 is taken instead: Harbor + Valley = 9, Valley >= 5,
//   Harbor in 1..4.
// At k = 3 the bounds are 1 + 3 = 4 < 6: Central 5 is enough, the plain "smallest cell" rule.
TEST_CASE("1-D complementary suppression", "[aggregates]") {
  AggregateQuery q = query({Dimension::Site}, 5);
  q.from = "2026-11-23";
  q.to = "2026-11-29";
  const AggregateResult r5 = run(fixture(), q);
  CHECK(states(r5) == std::vector<std::string>{"5", "below_k", "complementary"});
  CHECK(r5.total.responses == 14);
  CHECK(r5.total.thanks == 2);     // #9 #23
  CHECK(r5.excluded_misuse == 1);  // #32 on the 24th
  check_hidden(cell(r5, {V}), "complementary");

  q.k = 3;
  const AggregateResult r3 = run(fixture(), q);
  CHECK(states(r3) == std::vector<std::string>{"complementary", "below_k", "8"});

  SECTION("two cells below k that pool at least k need no partner") {
    // Harbor by language: en #12 #14 #15 #17 = 4, es #13 #16 #18 #19 = 4; total 8 visible. Each is 1..4 and
    // they sum to 8: not determined.
    AggregateQuery by_language = query({Dimension::Language}, 5);
    by_language.site = H;
    const AggregateResult r = run(fixture(), by_language);
    CHECK(states(r) == std::vector<std::string>{"below_k", "below_k"});
    CHECK(r.total.responses == 8);
  }
  SECTION("cells below k that pool fewer than k take a partner") {
    // k = 5, Central by day: the 16th 1, the 17th 2 (both below k), the 21st 9; total 12 visible.
    // Two suppressed cells, but 12 - 9 = 3 is the pooled statistics of 3 people < k → the 21st goes too.
    std::vector<ResponseFact> facts;
    facts.push_back(lobby(C, "2026-11-16", "en", 4, 4, 4));
    for (int i = 0; i < 2; ++i) facts.push_back(lobby(C, "2026-11-17", "en", 3, 3, 3));
    for (int i = 0; i < 9; ++i) facts.push_back(lobby(C, "2026-11-21", "en", 5, 5, 5));
    const AggregateResult r = run(facts, query({Dimension::Day}, 5));
    CHECK(states(r) == std::vector<std::string>{"below_k", "below_k", "complementary"});
    CHECK(r.total.responses == 12);
  }
  SECTION("cells below k that are each exactly 1 take a partner") {
    // k = 3, Central by day: the 16th..19th one response each, the 21st 4; total 8 visible. The four pool
    // 8 - 4 = 4 >= k, but four listed cells of at least 1 each summing to 4 are each exactly 1 → the 21st is
    // suppressed too: pooled 8 over lower bounds 4·1 + 3 = 7.
    std::vector<ResponseFact> facts;
    for (const std::string day : {"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19"})
      facts.push_back(lobby(C, day, "en", 4, 4, 4));
    for (int i = 0; i < 4; ++i) facts.push_back(lobby(C, "2026-11-21", "en", 5, 5, 5));
    const AggregateResult r = run(facts, query({Dimension::Day}, 3));
    CHECK(states(r) == std::vector<std::string>{"below_k", "below_k", "below_k", "below_k", "complementary"});
    CHECK(r.total.responses == 8);
  }
}

TEST_CASE("filters: site, language, survey, event, from/to inclusive", "[aggregates]") {
  SECTION("site") {
    AggregateQuery q = query();
    q.site = H;
    const AggregateResult r = run(fixture(), q);
    CHECK(r.total.responses == 8);
    CHECK(r.total.thanks == 2);
    CHECK(r.excluded_misuse == 0);
    check(question(r.total, "overall"), 8, 29.0 / 8, {1, 1, 1, 2, 3}, 5.0 / 8);
  }
  SECTION("language") {
    // es: #3 #5 #9 #11 #13 #16 #18 #19 #22 #25 #28; overall 3,2,4,3,5,4,3,1,3,4,3 = 35.
    AggregateQuery q = query();
    q.language = "es";
    const AggregateResult r = run(fixture(), q);
    CHECK(r.total.responses == 11);
    CHECK(r.total.thanks == 2);  // #9 #13
    check(question(r.total, "overall"), 11, 35.0 / 11, {1, 1, 5, 3, 1}, 4.0 / 11);
  }
  SECTION("from/to are inclusive") {
    // 21st: #15-#18; 22nd: #6 #22; 23rd: #7 #23 #24. overall 5,4,5,3,4,3,5,5,4 = 38. The 20th (#5 #14) and
    // the 24th (#8 #25, misuse #32) are out.
    AggregateQuery q = query();
    q.from = "2026-11-21";
    q.to = "2026-11-23";
    const AggregateResult r = run(fixture(), q);
    CHECK(r.total.responses == 9);
    CHECK(r.total.thanks == 2);  // #15 #23
    CHECK(r.excluded_misuse == 0);
    check(question(r.total, "overall"), 9, 38.0 / 9, {0, 0, 2, 3, 4}, 7.0 / 9);
  }
  SECTION("survey, at k = 3 and k = 5") {
    // event: #15-#18. overall 5,4,5,3 = 17; respect 5,4,5; beyond 5,5,4.
    AggregateQuery q = query({}, 3);
    q.survey = "event";
    const AggregateResult r = run(fixture(), q);
    CHECK(r.total.responses == 4);
    CHECK(r.total.thanks == 1);
    check(question(r.total, "overall"), 4, 4.25, {0, 0, 1, 1, 2}, 0.75);
    check(pillar(r.total, Pillar::Overall), 4, 4.25, 0.75);
    check(pillar(r.total, Pillar::Empathize), 3, 14.0 / 3, 1.0);
    check(pillar(r.total, Pillar::Exceed), 3, 14.0 / 3, 1.0);
    CHECK(r.total.pillars.size() == 3);  // no educate question in the event survey

    q.k = 5;
    check_hidden(run(fixture(), q).total, "below_k");  // 4 < 5: the total obeys the k rule too
  }
  SECTION("event, grouped") {
    AggregateQuery q = query({Dimension::Event}, 3);
    q.site = H;
    const AggregateResult r = run(fixture(), q);
    REQUIRE(r.cells.size() == 2);
    CHECK(r.cells[0].key == std::vector<std::string>{""});  // not at an event: #12 #13 #14 #19
    CHECK(r.cells[0].responses == 4);
    CHECK(r.cells[1].key == std::vector<std::string>{HNO});
    CHECK(r.cells[1].responses == 4);
    q.event = HNO;
    q.group_by.clear();
    CHECK(run(fixture(), q).total.responses == 4);
  }
  SECTION("nothing matches") {
    AggregateQuery q = query({Dimension::Site});
    q.site = "Nowhere";
    const AggregateResult r = run(fixture(), q);
    CHECK(r.cells.empty());
    check_hidden(r.total, "below_k");
  }
}

TEST_CASE("misuse is excluded by default and counted, and the count hides with the total", "[aggregates]") {
  AggregateQuery q = query();
  q.site = V;
  q.survey = "lobby";
  const AggregateResult clean = run(fixture(), q);
  CHECK(clean.total.responses == 11);
  CHECK(clean.excluded_misuse == 1);
  CHECK(clean.total.thanks == 1);

  q.include_misuse = true;
  const AggregateResult all = run(fixture(), q);
  CHECK(all.total.responses == 12);
  CHECK(all.excluded_misuse == 0);
  CHECK(all.total.thanks == 2);
  check(question(all.total, "overall"), 12, 45.0 / 12, {1, 1, 2, 4, 4}, 8.0 / 12);

  // Valley on the 24th: #25 plus misuse #32. One response: the total is suppressed, and so is the misuse
  // count (1 would describe the same few people).
  AggregateQuery day = query();
  day.site = V;
  day.from = day.to = "2026-11-24";
  const AggregateResult small = run(fixture(), day);
  check_hidden(small.total, "below_k");
  CHECK(small.excluded_misuse == 0);
}

TEST_CASE("k below 3 is raised to 3 by the engine", "[aggregates]") {
  const AggregateResult r = run(fixture(), query({Dimension::Site, Dimension::Week}, 1));
  CHECK(r.k == 3);
  CHECK(cell(r, {H, "2026-W48"}).suppressed);
}

namespace {

// What an attacker can do with the visible numbers of the four queries group_by=site,week / site / week /
// none: every (site, week) cell is an unknown; each published number is a linear constraint on them, each
// suppressed number an interval (a listed cell has >= 1 response; "below_k" says <= k-1, "complementary" says
// >= k). All integer solutions are enumerated, i.e. every combination of subtractions is tried at once.
struct Constraint {
  std::vector<std::size_t> cells;
  long lo = 0, hi = 0;
};

struct Attack {
  std::vector<std::vector<std::string>> universe;  // (site, week) keys listed by the 2-D query
  std::vector<std::pair<std::vector<std::size_t>, const Cell*>> published;
  std::vector<AggregateResult> results;

  Attack(const std::vector<ResponseFact>& facts, int k) {
    results.push_back(run(facts, query({Dimension::Site, Dimension::Week}, k)));
    results.push_back(run(facts, query({Dimension::Site}, k)));
    results.push_back(run(facts, query({Dimension::Week}, k)));
    results.push_back(run(facts, query({}, k)));
    for (const Cell& c : results[0].cells) universe.push_back(c.key);
    auto where = [&](std::function<bool(const std::vector<std::string>&)> in) {
      std::vector<std::size_t> out;
      for (std::size_t i = 0; i < universe.size(); ++i)
        if (in(universe[i])) out.push_back(i);
      return out;
    };
    for (const Cell& c : results[0].cells)
      published.push_back({where([&](auto& u) { return u == c.key; }), &c});
    for (const Cell& c : results[1].cells)
      published.push_back({where([&](auto& u) { return u[0] == c.key[0]; }), &c});
    for (const Cell& c : results[2].cells)
      published.push_back({where([&](auto& u) { return u[1] == c.key[0]; }), &c});
    published.push_back({where([](auto&) { return true; }), &results[3].total});
  }

  // Constraints on counts (value = nullptr) or, for one (question, rating value), on rating counts.
  std::vector<Constraint> constraints(int k, const std::string* q = nullptr, int v = 0) const {
    std::vector<Constraint> out;
    for (const auto& [cells, c] : published) {
      if (q == nullptr) {
        if (!c->suppressed)
          out.push_back({cells, c->responses, c->responses});
        else if (c->suppression == "below_k")
          out.push_back({cells, 1, k - 1});
        else
          out.push_back({cells, k, std::numeric_limits<long>::max()});
      } else if (!c->suppressed) {
        long count = 0;
        for (const RatingStats& s : c->questions)
          if (s.question_id == *q) count = s.distribution[static_cast<std::size_t>(v - 1)];
        out.push_back({cells, count, count});
      }
    }
    return out;
  }

  // All assignments x with lo[i] <= x[i] <= hi[i] meeting every constraint.
  static std::vector<std::vector<long>> solve(const std::vector<Constraint>& cs, std::vector<long> lo,
                                              std::vector<long> hi) {
    std::vector<std::vector<long>> solutions;
    std::vector<long> x(lo.size());
    std::function<void(std::size_t)> go = [&](std::size_t i) {
      // Prune: a constraint whose cells are all assigned must hold; a partial sum must not exceed hi.
      for (const Constraint& c : cs) {
        long sum = 0;
        bool complete = true;
        for (std::size_t j : c.cells) {
          if (j < i)
            sum += x[j];
          else
            complete = false;
        }
        if (sum > c.hi || (complete && sum < c.lo)) return;
      }
      if (i == x.size()) {
        solutions.push_back(x);
        return;
      }
      for (long value = lo[i]; value <= hi[i]; ++value) {
        x[i] = value;
        go(i + 1);
      }
    };
    go(0);
    return solutions;
  }
};

// Proves that no suppressed (site, week) cell's count is determined, and that for each of them no rating
// answer can be pinned on the cell's respondents (for every question and value, some consistent world has
// someone in the cell who did not give that value).
void prove_nothing_derivable(const std::vector<ResponseFact>& facts, int k) {
  const Attack attack(facts, k);
  const std::size_t n = attack.universe.size();
  const long cap = 40;  // above the fixture's total of 30
  // Visible cells are known; a listed suppressed cell holds at least one response.
  std::vector<long> lo(n, 1), hi(n, cap);
  for (std::size_t i = 0; i < n; ++i) {
    const Cell& c = attack.results[0].cells[i];
    if (!c.suppressed) lo[i] = hi[i] = c.responses;
  }
  const auto counts = Attack::solve(attack.constraints(k), lo, hi);
  REQUIRE_FALSE(counts.empty());  // the truth is one of them
  std::set<std::string> questions;
  for (const AggregateResult& r : attack.results) {
    for (const Cell& c : r.cells)
      for (const RatingStats& s : c.questions) questions.insert(s.question_id);
    for (const RatingStats& s : r.total.questions) questions.insert(s.question_id);
  }
  int suppressed = 0;
  for (std::size_t t = 0; t < n; ++t) {
    if (!attack.results[0].cells[t].suppressed) continue;
    ++suppressed;
    INFO("cell " << Catch::Detail::stringify(attack.universe[t]));
    std::set<long> possible;
    for (const auto& x : counts) possible.insert(x[t]);
    CHECK(possible.size() >= 2);  // its count cannot be derived
    for (const std::string& q : questions) {
      for (int v = 1; v <= 5; ++v) {
        INFO("question " << q << " value " << v);
        const auto cs = attack.constraints(k, &q, v);
        bool someone_else_possible = false;  // a world where not everybody in cell t gave v
        for (const auto& x : counts) {
          for (const auto& y : Attack::solve(cs, std::vector<long>(n, 0), x))
            if (y[t] < x[t]) someone_else_possible = true;
          if (someone_else_possible) break;
        }
        CHECK(someone_else_possible);
      }
    }
  }
  CHECK(suppressed > 0);
}

}  // namespace

// #19 is alone in (Harbor, W48). An attacker holds group_by=site,week, group_by=site, group_by=week and the
// ungrouped total (k = 5) and tries every subtraction: #19's cell count stays ambiguous (1 or 2; the
// hand-drawn table above: Harbor W48 = 9 - Valley W48 with Valley W48 in 7..8 once all lines are combined),
// and none of its answers can be pinned on it. The same proof runs on the dataset without #19.
// Out of scope: differencing two queries of the same shape (this dataset before and after #19 arrived, or a
// date range one day longer) — that isolates any single response and is the API's concern (audit, limits).
TEST_CASE("a response alone in its (site, week) cell cannot be singled out", "[aggregates][privacy]") {
  const std::vector<ResponseFact> with = fixture(true);
  const AggregateResult grid = run(with, query({Dimension::Site, Dimension::Week}));
  REQUIRE(cell(grid, {H, "2026-W48"}).suppression == "below_k");
  prove_nothing_derivable(with, 5);

  SECTION("and without it") {
    // Without #19: (Harbor, W48) vanishes; Valley W47 (3) is still below k and needs partners.
    const std::vector<ResponseFact> without = fixture(false);
    const AggregateResult r = run(without, query({Dimension::Site, Dimension::Week}));
    CHECK(r.cells.size() == 5);
    prove_nothing_derivable(without, 5);
  }
  SECTION("and at k = 3") {
    prove_nothing_derivable(with, 3);
  }
}

TEST_CASE("parse_query reads parameters and names the bad one", "[aggregates][params]") {
  SECTION("a full, valid query") {
    const auto q = parse_query({{"group_by", "site, week"},
                                {"k", "7"},
                                {"from", "2026-11-01"},
                                {"to", "2026-11-30"},
                                {"site", C},
                                {"language", "es"},
                                {"survey", ""},  // empty = unset
                                {"include_misuse", "true"}});
    REQUIRE(q.ok());
    CHECK(q->group_by == std::vector<Dimension>{Dimension::Site, Dimension::Week});
    CHECK(q->k == 7);
    CHECK(q->from == "2026-11-01");
    CHECK(q->to == "2026-11-30");
    CHECK(q->site == C);
    CHECK(q->language == "es");
    CHECK_FALSE(q->survey.has_value());
    CHECK_FALSE(q->event.has_value());
    CHECK(q->include_misuse);
  }
  SECTION("defaults") {
    const auto q = parse_query({});
    REQUIRE(q.ok());
    CHECK(q->group_by.empty());
    CHECK(q->k == 5);
    CHECK_FALSE(q->include_misuse);
    CHECK(parse_query({{"from", "2026-11-05"}, {"to", "2026-11-05"}}).ok());  // a one-day range
    CHECK(parse_query({{"group_by", "event,survey,language,month"}}).ok());
  }
  const auto error = [](std::map<std::string, std::string> params) {
    const auto q = parse_query(params);
    REQUIRE_FALSE(q.ok());
    return q.error();
  };
  SECTION("group_by") {
    const ParamError e = error({{"group_by", "site,colour"}});
    CHECK(e.parameter == "group_by");
    CHECK(e.message ==
          "group_by: unknown dimension \"colour\"; use site, event, survey, language, day, week or month");
    CHECK(error({{"group_by", "site,site"}}).message == "group_by: dimension \"site\" is repeated");
    CHECK(error({{"group_by", "week,month"}}).message ==
          "group_by: at most one of day, week and month; got week and month");
    CHECK(error({{"group_by", "site,"}}).parameter == "group_by");
    CHECK(error({{"group_by", "Site"}}).parameter == "group_by");
  }
  SECTION("dates must be real calendar days, and from not after to") {
    for (const char* bad : {"2026-02-29", "2026-13-01", "2026-11-31", "2026-11-5", "2026/11/05", "26-11-05",
                            "2026-11-05T00:00", "yesterday"}) {
      INFO(bad);
      CHECK(error({{"from", bad}}).parameter == "from");
      CHECK(error({{"to", bad}}).parameter == "to");
    }
    CHECK(error({{"to", "2026-02-30"}}).message ==
          "to: must be a calendar date YYYY-MM-DD, not \"2026-02-30\"");
    const ParamError inverted = error({{"from", "2026-11-30"}, {"to", "2026-11-01"}});
    CHECK(inverted.parameter == "from");
    CHECK(inverted.message == "from: must not be after to (2026-11-30 > 2026-11-01)");
  }
  SECTION("k") {
    for (const char* bad : {"abc", "5.5", "-5", "+5", "", " 5", "5 ", "99999999999", "1000001"}) {
      INFO(bad);
      CHECK(error({{"k", bad}}).parameter == "k");
    }
    CHECK(error({{"k", "2"}}).message ==
          "k: must be at least 3 (smaller cells could identify residents), not 2");
    CHECK(error({{"k", "0"}}).parameter == "k");
    CHECK(parse_query({{"k", "3"}})->k == 3);
  }
  SECTION("include_misuse") {
    CHECK(error({{"include_misuse", "maybe"}}).parameter == "include_misuse");
    CHECK(parse_query({{"include_misuse", "1"}})->include_misuse);
    CHECK_FALSE(parse_query({{"include_misuse", "false"}})->include_misuse);
  }
  SECTION("unknown parameters") {
    const ParamError e = error({{"colour", "red"}});
    CHECK(e.parameter == "colour");
    CHECK(e.message.rfind("colour: unknown parameter", 0) == 0);
    CHECK(error({{"Site", C}}).parameter == "Site");
  }
}

TEST_CASE("calendar days and ISO 8601 weeks across year ends", "[aggregates][dates]") {
  CHECK(is_calendar_date("2024-02-29"));
  CHECK(is_calendar_date("2000-02-29"));
  CHECK_FALSE(is_calendar_date("1900-02-29"));
  CHECK_FALSE(is_calendar_date("2026-02-29"));
  CHECK(iso_week_label("2026-11-16") == "2026-W47");  // Monday
  CHECK(iso_week_label("2026-11-22") == "2026-W47");  // Sunday
  CHECK(iso_week_label("2026-11-23") == "2026-W48");
  CHECK(iso_week_label("2025-12-29") == "2026-W01");  // 2026 starts on a Thursday: its week 1 starts in 2025
  CHECK(iso_week_label("2026-01-01") == "2026-W01");
  CHECK(iso_week_label("2026-12-28") == "2026-W53");  // …and so 2026 has 53 weeks
  CHECK(iso_week_label("2027-01-01") == "2026-W53");  // Friday
  CHECK(iso_week_label("2027-01-03") == "2026-W53");  // Sunday
  CHECK(iso_week_label("2027-01-04") == "2027-W01");
  CHECK(iso_week_label("2024-12-29") == "2024-W52");
  CHECK(iso_week_label("2024-12-30") == "2025-W01");  // Monday of the week holding 2025's first Thursday
  CHECK(iso_week_label("2021-01-03") == "2020-W53");
  CHECK(iso_week_label("2008-12-29") == "2009-W01");
  CHECK(iso_week_label("2026-02-30").empty());
  CHECK(month_label("2026-11-05") == "2026-11");
  CHECK(month_label("2026-11-31").empty());
}

TEST_CASE("a period starts on its ISO Monday or its 1st", "[aggregates][dates]") {
  CHECK(period_start("2026-11-22", Grain::Day) == "2026-11-22");
  CHECK(period_start("2026-11-16", Grain::Week) == "2026-11-16");  // a Monday is its own start
  CHECK(period_start("2026-11-22", Grain::Week) == "2026-11-16");  // Sunday
  CHECK(period_start("2027-01-03", Grain::Week) == "2026-12-28");  // 2026-W53 crosses the year end
  CHECK(period_start("2024-03-01", Grain::Week) == "2024-02-26");  // across a leap day
  CHECK(period_start("2026-11-22", Grain::Month) == "2026-11-01");
  CHECK(period_start("2026-02-30", Grain::Week).empty());
  CHECK(period_start("2026-11", Grain::Month).empty());
}

TEST_CASE("the coarsest totals that answer a query exactly", "[aggregates][dates]") {
  auto grain = [](std::vector<Dimension> group_by, std::optional<std::string> from = {},
                  std::optional<std::string> to = {}) {
    AggregateQuery q = query(std::move(group_by));
    q.from = std::move(from);
    q.to = std::move(to);
    return totals_grain(q);
  };
  CHECK(grain({Dimension::Site, Dimension::Week}) == Grain::Week);
  CHECK(grain({Dimension::Week}, "2026-11-16", "2026-11-29") == Grain::Week);  // Monday to Sunday
  CHECK(grain({Dimension::Week}, "2026-11-17") == Grain::Day);                 // cuts a week
  CHECK(grain({Dimension::Week}, {}, "2026-11-28") == Grain::Day);             // a Saturday
  CHECK(grain({Dimension::Month}) == Grain::Month);
  CHECK(grain({Dimension::Month}, "2024-02-01", "2024-02-29") == Grain::Month);
  CHECK(grain({Dimension::Month}, "2024-02-01", "2024-02-28") == Grain::Day);
  CHECK(grain({Dimension::Day}) == Grain::Day);
  CHECK(grain({Dimension::Site}) == Grain::Month);                             // no time: the coarsest
  CHECK(grain({Dimension::Site}, "2026-11-16", "2026-11-22") == Grain::Week);  // a week, not a month
  CHECK(grain({}, "2026-11-18", "2026-11-18") == Grain::Day);
  CHECK(grain({}, "2026-12-28", "2027-01-31") == Grain::Week);  // Monday to Sunday, across a year end
}

TEST_CASE("grouping by week and month across a year end", "[aggregates][dates]") {
  // 3 on Mon 2026-12-28, 3 on Fri 2027-01-01 (both 2026-W53), 5 on Mon 2027-01-04 (2027-W01).
  std::vector<ResponseFact> facts;
  for (int i = 0; i < 3; ++i) facts.push_back(lobby(C, "2026-12-28", "en", 5, 5, 5));
  for (int i = 0; i < 3; ++i) facts.push_back(lobby(C, "2027-01-01", "en", 3, 3, 3));
  for (int i = 0; i < 5; ++i) facts.push_back(lobby(C, "2027-01-04", "en", 4, 4, 4));

  const AggregateResult weeks = run(facts, query({Dimension::Week}, 5));
  REQUIRE(weeks.cells.size() == 2);
  CHECK(weeks.cells[0].key == std::vector<std::string>{"2026-W53"});
  CHECK(weeks.cells[0].responses == 6);
  check(question(weeks.cells[0], "overall"), 6, 4.0, {0, 0, 3, 0, 3}, 0.5);
  CHECK(weeks.cells[1].key == std::vector<std::string>{"2027-W01"});
  CHECK(weeks.cells[1].responses == 5);

  // By month: December 3 (below k), January 8; one suppressed cell in a line with a visible total of 11 →
  // January is suppressed too.
  const AggregateResult months = run(facts, query({Dimension::Month}, 5));
  REQUIRE(months.cells.size() == 2);
  CHECK(months.cells[0].key == std::vector<std::string>{"2026-12"});
  CHECK(states(months) == std::vector<std::string>{"below_k", "complementary"});
  CHECK(months.total.responses == 11);
  const AggregateResult months3 = run(facts, query({Dimension::Month}, 3));
  CHECK(states(months3) == std::vector<std::string>{"3", "8"});
  check(question(months3.cells[1], "overall"), 8, 29.0 / 8, {0, 0, 3, 5, 0}, 5.0 / 8);  // 3·3 + 5·4 = 29

  const AggregateResult days = run(facts, query({Dimension::Day}, 3));
  CHECK(states(days) == std::vector<std::string>{"3", "3", "5"});

  // The fixture falls in one month.
  const AggregateResult november = run(fixture(), query({Dimension::Month, Dimension::Site}));
  CHECK(november.dimensions == std::vector<std::string>{"month", "site"});
  CHECK(states(november) == std::vector<std::string>{"11", "8", "11"});
  CHECK(november.cells[0].key == std::vector<std::string>{"2026-11", C});
}

TEST_CASE("pre-aggregated partials: what storage pushes down", "[aggregates][partials]") {
  const auto partials = to_partials(fixture());
  int responses = 0, thanks = 0, misuse = 0;
  for (const PartialCell& p : partials) {
    responses += p.responses;
    thanks += p.thanks;
    misuse += p.misuse ? p.responses : 0;
  }
  CHECK(responses == 32);
  CHECK(thanks == 7);
  CHECK(misuse == 2);
  // Days with two facts of the same key collapse: Valley 2026-11-23 en lobby (#23 #24), Harbor 21st en/es
  // event.
  CHECK(partials.size() < 32);

  // Storage-sized rows: 1,000 responses in one row (say, a GROUP BY over a year) aggregate like any other.
  PartialCell big{C,    "",           "lobby",
                  "en", "2026-11-16", false,
                  1000, 40,           {{"overall", Pillar::Overall, {100, 0, 0, 400, 500}}}};
  PartialCell flagged{
      C, "", "lobby", "en", "2026-11-16", true, 7, 0, {{"overall", Pillar::Overall, {7, 0, 0, 0, 0}}}};
  const AggregateResult r = aggregate_partials({big, flagged}, query({Dimension::Week}));
  REQUIRE(r.cells.size() == 1);
  CHECK(r.cells[0].responses == 1000);
  CHECK(r.cells[0].thanks == 40);
  CHECK(r.excluded_misuse == 7);
  // (100·1 + 400·4 + 500·5) / 1000 = 4.2; top two 900/1000.
  check(question(r.cells[0], "overall"), 1000, 4.2, {100, 0, 0, 400, 500}, 0.9);

  // Ratings outside 1..5 never count (the wire codec refuses them anyway).
  ResponseFact odd = lobby(C, "2026-11-16", "en", 5, 5, 5);
  odd.ratings.push_back({"overall", Pillar::Overall, 9});
  odd.ratings.push_back({"listened", Pillar::Empathize, 0});
  const AggregateResult o = run({odd, odd, odd}, query({}, 3));
  check(question(o.total, "overall"), 3, 5.0, {0, 0, 0, 0, 3}, 1.0);
}
