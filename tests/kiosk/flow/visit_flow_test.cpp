// The visit flow against the real lobby survey, with an injected clock and the in-memory store.
#include "kiosk/flow/visit_flow.hpp"

#include <catch2/catch.hpp>

#include "sync/model/survey_parser.hpp"
#include "sync/store/memory_response_store.hpp"
#include "tests/kiosk/flow/lobby_survey.hpp"

using namespace fk;
using namespace fk::flow;
using namespace std::chrono_literals;

namespace {

using test::lobby;

// A store whose every save fails, as on a full disk.
class FailingStore : public store::MemoryResponseStore {
 public:
  Expected<store::SaveOutcome> save(const model::Response&) override {
    return Error{"database or disk is full"};
  }
};

struct Harness {
  store::MemoryResponseStore memory;
  store::ResponseStore* store = &memory;
  TimePoint now{};  // the injected clock
  int uuids = 0;
  std::vector<std::string> errors;
  FlowConfig config = [] {
    FlowConfig c;
    c.tap_guard = Millis{0};  // these tests tap at machine speed; the guard has its own test
    // …and so do the rules against mashing (pacing_test.cpp).
    c.min_read_time = Millis{0};
    c.quick_run = 0;
    c.send_delay = Millis{0};
    c.still_there_guard = Millis{0};
    return c;
  }();

  VisitFlow make() {
    FlowDeps deps;
    deps.store = store;
    deps.new_uuid = [this] { return "00000000-0000-4000-8000-00000000000" + std::to_string(++uuids); };
    deps.wall_clock = [] { return std::string("1970-01-01T00:00:00Z"); };  // kiosks may boot in 1970
    deps.log_error = [this](const std::string& m) { errors.push_back(m); };
    return VisitFlow(lobby(), config, deps);
  }
  void advance(Millis d, VisitFlow& flow) {
    now += d;
    flow.tick(now);
  }
};

std::string current_id(const VisitFlow& flow) {
  REQUIRE(flow.current_question() != nullptr);
  return flow.current_question()->id;
}

std::vector<store::StoredResponse> stored(store::ResponseStore& s) {
  auto p = s.pending(100);
  REQUIRE(p.ok());
  return p.value();
}

}  // namespace

TEST_CASE("a visit starts from the attract screen with a fresh UUID") {
  Harness h;
  auto flow = h.make();
  CHECK(flow.screen() == Screen::Attract);
  CHECK(flow.visit_uuid().empty());
  flow.apply(StartVisit{}, h.now);
  CHECK(flow.screen() == Screen::Question);
  CHECK(current_id(flow) == "overall");
  CHECK(flow.visit_uuid() == "00000000-0000-4000-8000-000000000001");
  CHECK(flow.language() == "en");
  CHECK(flow.progress().position == 1);
}

TEST_CASE("a low overall rating opens the follow-up; a good one skips it") {
  Harness h;
  auto flow = h.make();
  flow.apply(StartVisit{}, h.now);
  SECTION("rating 2") {
    flow.apply(SetAnswer{2, true}, h.now);
    for (int i = 0; i < 3; ++i) flow.apply(SetAnswer{3, true}, h.now);
    CHECK(current_id(flow) == "improve");
  }
  SECTION("rating 4") {
    flow.apply(SetAnswer{4, true}, h.now);
    for (int i = 0; i < 3; ++i) flow.apply(SetAnswer{3, true}, h.now);
    CHECK(current_id(flow) == "thank");
  }
}

TEST_CASE("completing the lobby survey stores one response, then says thank you") {
  Harness h;
  auto flow = h.make();
  flow.apply(StartVisit{}, h.now);
  flow.apply(SetAnswer{5, true}, h.now);  // overall
  flow.apply(SetAnswer{4, true}, h.now);  // listened
  flow.apply(SetAnswer{5, true}, h.now);  // next_steps
  flow.apply(SetAnswer{5, true}, h.now);  // above_beyond
  CHECK(current_id(flow) == "thank");
  flow.apply(SetAnswer{true, true}, h.now);
  CHECK(current_id(flow) == "thanks_note");
  flow.apply(SetAnswer{std::string("Officer Diaz was so kind."), false}, h.now);
  flow.apply(Next{}, h.now);
  CHECK(current_id(flow) == "employee");
  CHECK(flow.is_last_question());
  CHECK(h.memory.counts().value().total() == 0);  // nothing is stored before the end
  flow.apply(SetAnswer{std::string("Badge 4411"), false}, h.now);
  flow.apply(Next{}, h.now);

  REQUIRE(flow.screen() == Screen::ThankYou);
  auto rows = stored(h.memory);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].uuid == "00000000-0000-4000-8000-000000000001");
  auto response = model::parse_response(rows[0].payload);
  REQUIRE(response.ok());
  REQUIRE(response->answers.size() == 7);
  CHECK(response->answers[0].question_id == "overall");
  CHECK(std::get<int>(response->answers[0].value) == 5);
  CHECK(std::get<bool>(response->answers[4].value) == true);
  CHECK(std::get<std::string>(response->answers[5].value) == "Officer Diaz was so kind.");
  CHECK(std::get<std::string>(response->answers[6].value) == "Badge 4411");
  CHECK_FALSE(response->partial);

  h.advance(5s, flow);
  CHECK(flow.screen() == Screen::ThankYou);
  h.advance(1s, flow);
  CHECK(flow.screen() == Screen::Attract);
}

TEST_CASE("rapid taps on the last question store one response") {
  Harness h;
  auto flow = h.make();
  flow.apply(StartVisit{}, h.now);
  for (int i = 0; i < 4; ++i) flow.apply(Next{}, h.now);  // skip the ratings
  flow.apply(SetAnswer{false, true}, h.now);              // no thanks: last question answered
  REQUIRE(flow.screen() == Screen::ThankYou);
  // The same finger lands four more times before the screen changes under it.
  flow.apply(SetAnswer{false, true}, h.now);
  flow.apply(Next{}, h.now);
  flow.apply(Next{}, h.now);
  flow.apply(StartVisit{}, h.now);
  CHECK(flow.screen() == Screen::ThankYou);
  CHECK(stored(h.memory).size() == 1);
}

TEST_CASE("back returns to the previous shown question and keeps its answer") {
  Harness h;
  auto flow = h.make();
  flow.apply(StartVisit{}, h.now);
  flow.apply(SetAnswer{1, true}, h.now);
  for (int i = 0; i < 3; ++i) flow.apply(SetAnswer{3, true}, h.now);
  CHECK(current_id(flow) == "improve");
  flow.apply(Back{}, h.now);
  CHECK(current_id(flow) == "above_beyond");
  REQUIRE(flow.current_answer() != nullptr);
  CHECK(std::get<int>(*flow.current_answer()) == 3);
  flow.apply(Back{}, h.now);
  flow.apply(Back{}, h.now);
  flow.apply(Back{}, h.now);
  CHECK(current_id(flow) == "overall");
  flow.apply(Back{}, h.now);  // back from the first question leaves the visit, storing nothing
  CHECK(flow.screen() == Screen::Attract);
  CHECK(h.memory.counts().value().total() == 0);
}

TEST_CASE("an answer hidden by a changed condition is not stored") {
  Harness h;
  auto flow = h.make();
  flow.apply(StartVisit{}, h.now);
  flow.apply(SetAnswer{1, true}, h.now);
  for (int i = 0; i < 3; ++i) flow.apply(Next{}, h.now);
  REQUIRE(current_id(flow) == "improve");
  flow.apply(SetAnswer{std::vector<std::string>{"wait"}, true}, h.now);
  REQUIRE(current_id(flow) == "thank");
  for (int i = 0; i < 5; ++i) flow.apply(Back{}, h.now);
  REQUIRE(current_id(flow) == "overall");
  flow.apply(SetAnswer{5, true}, h.now);  // now the follow-up no longer applies
  // 8 with it; the note and employee questions "thank" may still open are counted (pacing_test.cpp).
  CHECK(flow.progress().total == 7);
  for (int i = 0; i < 3; ++i) flow.apply(Next{}, h.now);
  CHECK(current_id(flow) == "thank");
  flow.apply(SetAnswer{false, true}, h.now);
  auto rows = stored(h.memory);
  REQUIRE(rows.size() == 1);
  auto response = model::parse_response(rows[0].payload);
  REQUIRE(response.ok());
  REQUIRE(response->answers.size() == 2);
  CHECK(response->answers[0].question_id == "overall");
  CHECK(response->answers[1].question_id == "thank");
}

TEST_CASE("inactivity asks 'still there?' and then follows the partial policy") {
  Harness h;
  SECTION("default 45 s, discard") {
    auto flow = h.make();
    flow.apply(StartVisit{}, h.now);
    flow.apply(SetAnswer{4, true}, h.now);
    h.advance(44s, flow);
    CHECK(flow.screen() == Screen::Question);
    CHECK(flow.next_wakeup(h.now) == h.now + 1s);
    h.advance(1s, flow);
    CHECK(flow.screen() == Screen::StillThere);
    CHECK(flow.seconds_left(h.now) == 20);  // WCAG 2.2.1: at least 20 s to answer
    h.advance(19s, flow);
    CHECK(flow.screen() == Screen::StillThere);
    h.advance(1s, flow);
    CHECK(flow.screen() == Screen::Attract);
    CHECK(h.memory.counts().value().total() == 0);
  }
  SECTION("a touch that changes nothing (a key at the note's limit) is activity too") {
    auto flow = h.make();
    flow.apply(StartVisit{}, h.now);
    for (int i = 0; i < 4; ++i) {
      h.advance(40s, flow);
      flow.touched(h.now);
    }
    h.advance(44s, flow);
    CHECK(flow.screen() == Screen::Question);
    h.advance(1s, flow);
    CHECK(flow.screen() == Screen::StillThere);
    // On "still there?" only its button answers: a stray touch does not bring the visit back.
    flow.touched(h.now);
    CHECK(flow.screen() == Screen::StillThere);
    h.advance(20s, flow);
    CHECK(flow.screen() == Screen::Attract);
  }
  SECTION("taps in the first 600 ms of 'still there?' were meant for the screen before") {
    h.config.still_there_guard = 600ms;
    auto flow = h.make();
    flow.apply(StartVisit{}, h.now);
    h.advance(45s, flow);
    REQUIRE(flow.screen() == Screen::StillThere);
    flow.apply(EndVisit{}, h.now + 599ms);
    CHECK(flow.screen() == Screen::StillThere);
    flow.apply(StillHere{}, h.now + 599ms);
    CHECK(flow.screen() == Screen::StillThere);
    flow.apply(StillHere{}, h.now + 600ms);
    CHECK(flow.screen() == Screen::Question);
  }
  SECTION("a touch on 'still there?' resumes the same question") {
    auto flow = h.make();
    flow.apply(StartVisit{}, h.now);
    flow.apply(SetAnswer{4, true}, h.now);
    h.advance(45s, flow);
    REQUIRE(flow.screen() == Screen::StillThere);
    flow.apply(StillHere{}, h.now);
    CHECK(flow.screen() == Screen::Question);
    CHECK(current_id(flow) == "listened");
    h.advance(44s, flow);
    CHECK(flow.screen() == Screen::Question);
  }
  SECTION("submit_partial stores the answers flagged partial, without a thank-you") {
    h.config.partial_policy = PartialPolicy::SubmitPartial;
    h.config.inactivity_timeout = 10s;
    h.config.still_there_timeout = 5s;
    auto flow = h.make();
    flow.apply(StartVisit{}, h.now);
    flow.apply(SetAnswer{2, true}, h.now);
    flow.apply(SetAnswer{3, true}, h.now);
    h.advance(10s, flow);
    REQUIRE(flow.screen() == Screen::StillThere);
    h.advance(5s, flow);
    CHECK(flow.screen() == Screen::Attract);
    auto rows = stored(h.memory);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].partial);
    auto response = model::parse_response(rows[0].payload);
    REQUIRE(response.ok());
    CHECK(response->partial);
    CHECK(response->answers.size() == 2);
  }
  SECTION("submit_partial with nothing answered stores nothing") {
    h.config.partial_policy = PartialPolicy::SubmitPartial;
    auto flow = h.make();
    flow.apply(StartVisit{}, h.now);
    h.advance(45s, flow);
    h.advance(20s, flow);
    CHECK(flow.screen() == Screen::Attract);
    CHECK(h.memory.counts().value().total() == 0);
  }
}

TEST_CASE("a failed save never shows thank you") {
  Harness h;
  FailingStore failing;
  h.store = &failing;
  auto flow = h.make();
  flow.apply(StartVisit{}, h.now);
  flow.apply(SetAnswer{5, true}, h.now);
  for (int i = 0; i < 3; ++i) flow.apply(Next{}, h.now);
  flow.apply(SetAnswer{false, true}, h.now);
  CHECK(flow.screen() == Screen::Unavailable);
  REQUIRE(h.errors.size() == 1);
  CHECK(h.errors[0].find("disk is full") != std::string::npos);
  h.advance(10s, flow);
  CHECK(flow.screen() == Screen::Attract);  // the next resident may try again
}

TEST_CASE("without a usable store the kiosk stays unavailable") {
  Harness h;
  h.store = nullptr;
  auto flow = h.make();
  CHECK(flow.screen() == Screen::Unavailable);
  flow.apply(StartVisit{}, h.now);
  flow.apply(Finish{}, h.now);
  h.advance(1h, flow);
  CHECK(flow.screen() == Screen::Unavailable);
  CHECK_FALSE(flow.next_wakeup(h.now).has_value());
}

TEST_CASE("a new survey takes effect at the next visit, never in the middle of one") {
  Harness h;
  auto flow = h.make();
  flow.apply(StartVisit{}, h.now);
  flow.apply(SetAnswer{5, true}, h.now);
  auto changed = std::make_shared<model::SurveyDefinition>(*lobby());
  changed->version = 2;
  changed->questions.erase(changed->questions.begin() + 1, changed->questions.end());
  flow.set_survey(changed);
  CHECK(flow.survey().version == 1);
  CHECK(current_id(flow) == "listened");
  for (int i = 0; i < 3; ++i) flow.apply(Next{}, h.now);
  flow.apply(SetAnswer{false, true}, h.now);
  REQUIRE(flow.screen() == Screen::ThankYou);
  CHECK(stored(h.memory)[0].survey_version == 1);
  flow.apply(Finish{}, h.now);
  CHECK(flow.survey().version == 2);
  flow.apply(StartVisit{"en"}, h.now);
  flow.apply(SetAnswer{3, true}, h.now);
  CHECK(flow.screen() == Screen::ThankYou);
  CHECK(stored(h.memory).back().survey_version == 2);
}

TEST_CASE("the attract screen needs no wake-ups; countdown screens wake once a second") {
  Harness h;
  auto flow = h.make();
  CHECK_FALSE(flow.next_wakeup(h.now).has_value());
  flow.apply(StartVisit{}, h.now);
  h.advance(45s, flow);
  REQUIRE(flow.screen() == Screen::StillThere);
  h.now += 300ms;
  CHECK(flow.next_wakeup(h.now) == h.now + 700ms);
}

TEST_CASE("a second tap right after the screen changed is ignored") {
  Harness h;
  h.config.tap_guard = Millis{350};
  auto flow = h.make();
  flow.apply(StartVisit{}, h.now);
  h.now += 400ms;
  flow.apply(SetAnswer{5, true}, h.now);  // overall → listened
  CHECK(current_id(flow) == "listened");
  h.now += 150ms;
  flow.apply(SetAnswer{5, true}, h.now);  // the same finger again: not an answer to "listened"
  CHECK(current_id(flow) == "listened");
  CHECK(flow.current_answer() == nullptr);
  h.now += 250ms;
  flow.apply(SetAnswer{2, true}, h.now);  // a deliberate tap, once the question has been seen
  CHECK(current_id(flow) == "next_steps");
  flow.apply(Back{}, h.now);  // too soon after the change, ignored
  CHECK(current_id(flow) == "next_steps");
  h.now += 400ms;
  flow.apply(Back{}, h.now);
  REQUIRE(current_id(flow) == "listened");
  CHECK(std::get<int>(*flow.current_answer()) == 2);
}

TEST_CASE("typing is not slowed by the tap guard") {
  Harness h;
  h.config.tap_guard = Millis{350};
  auto flow = h.make();
  flow.apply(StartVisit{}, h.now);
  for (int i = 0; i < 4; ++i) {
    h.now += 400ms;
    flow.apply(Next{}, h.now);
  }
  h.now += 400ms;
  flow.apply(SetAnswer{true, true}, h.now);
  REQUIRE(current_id(flow) == "thanks_note");
  h.now += 400ms;
  std::string note;
  for (char c : std::string("Thanks")) {
    note += c;
    h.now += 50ms;  // fast typing on the same question
    flow.apply(SetAnswer{note, false}, h.now);
  }
  CHECK(std::get<std::string>(*flow.current_answer()) == "Thanks");
}

namespace {

// Answers the lobby survey's four ratings with 5, declines the thank-you note, and waits `per_tap` before each
// tap; the visit is stored when it returns.
void quick_visit(Harness& h, VisitFlow& flow, Millis per_tap) {
  flow.apply(StartVisit{}, h.now);
  for (int i = 0; i < 4; ++i) {
    h.now += per_tap;
    flow.apply(SetAnswer{5, true}, h.now);
  }
  h.now += per_tap;
  flow.apply(SetAnswer{false, true}, h.now);  // "thank": no
  REQUIRE(flow.screen() == Screen::ThankYou);
}

model::Response parsed(const store::StoredResponse& row) {
  auto r = model::parse_response(row.payload);
  REQUIRE(r.ok());
  return *r;
}

}  // namespace

TEST_CASE("misuse: a response within the interval after the previous one is flagged, not dropped") {
  Harness h;
  auto flow = h.make();
  quick_visit(h, flow, 2s);     // 10 s for 5 answers: plausible
  flow.apply(Finish{}, h.now);  // leave the thank-you screen at once
  REQUIRE(flow.screen() == Screen::Attract);
  quick_visit(h, flow, 900ms);  // ends 4.5 s after the first was stored
  h.now += 10s;
  flow.tick(h.now);
  quick_visit(h, flow, 1s);  // 15 s after the previous one: not flagged

  const auto rows = stored(h.memory);
  REQUIRE(rows.size() == 3);  // all three kept
  CHECK_FALSE(parsed(rows[0]).misuse);
  CHECK(parsed(rows[1]).misuse);
  CHECK(parsed(rows[1]).misuse_reason == "rapid_repeat");
  CHECK_FALSE(parsed(rows[2]).misuse);
}

TEST_CASE("misuse: a visit answered faster than anyone reads is flagged too_fast") {
  Harness h;
  auto flow = h.make();
  quick_visit(h, flow, 100ms);  // five answers in half a second
  const auto rows = stored(h.memory);
  REQUIRE(rows.size() == 1);
  CHECK(parsed(rows[0]).misuse);
  CHECK(parsed(rows[0]).misuse_reason == "too_fast");
}

TEST_CASE("misuse: both rules can be turned off") {
  Harness h;
  h.config.misuse_interval = Millis{0};
  h.config.min_time_per_answer = Millis{0};
  auto flow = h.make();
  quick_visit(h, flow, 10ms);
  flow.apply(Finish{}, h.now);
  quick_visit(h, flow, 10ms);
  for (const auto& row : stored(h.memory)) CHECK_FALSE(parsed(row).misuse);
}

TEST_CASE("event: visits started after set_event carry the event; the one in progress keeps its own") {
  Harness h;
  auto flow = h.make();
  flow.apply(StartVisit{}, h.now);
  flow.set_event("National Night Out");  // staff cannot do this mid-visit, but the rule holds anyway
  for (int i = 0; i < 4; ++i) {
    h.now += 2s;
    flow.apply(SetAnswer{4, true}, h.now);
  }
  flow.apply(SetAnswer{false, true}, h.now);
  flow.apply(Finish{}, h.now);
  h.now += 10s;
  quick_visit(h, flow, 2s);
  flow.apply(Finish{}, h.now);
  flow.set_event("");
  h.now += 10s;
  quick_visit(h, flow, 2s);
  const auto rows = stored(h.memory);
  REQUIRE(rows.size() == 3);
  CHECK(parsed(rows[0]).event.empty());
  CHECK(parsed(rows[1]).event == "National Night Out");
  CHECK(parsed(rows[2]).event.empty());
}

TEST_CASE("staff change the default language: the next visit runs in it and the misuse timing carries on") {
  Harness h;
  auto flow = h.make();
  quick_visit(h, flow, 2s);
  flow.apply(Finish{}, h.now);
  flow.set_default_language("es");
  CHECK(flow.config().default_language == "es");
  quick_visit(h, flow, 700ms);  // 3.5 s after the first: still a repeat, the flow was not rebuilt
  const auto rows = stored(h.memory);
  REQUIRE(rows.size() == 2);
  CHECK(parsed(rows[0]).language == "en");
  CHECK(parsed(rows[1]).language == "es");
  CHECK(parsed(rows[1]).misuse_reason == "rapid_repeat");
}
