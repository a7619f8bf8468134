// How fast taps come, against the real lobby survey with every rule at its default: mashing one spot cannot
// complete a visit, a human pace can; "Send" needs the last question seen a moment; the tap guard throws a tap
// away only when what was under it changed; "Start over" asks once and keeps the language; a visit with
// nothing answered is stored flagged "empty"; progress counts what this resident will see; the thank-you
// screen knows about a note and a low rating.
#include <catch2/catch.hpp>
#include <functional>
#include <optional>

#include "kiosk/flow/visit_flow.hpp"
#include "sync/model/survey_parser.hpp"
#include "sync/store/memory_response_store.hpp"
#include "tests/kiosk/flow/lobby_survey.hpp"

using namespace fk;
using namespace fk::flow;
using namespace std::chrono_literals;

namespace {

using test::lobby;

struct Rig {
  store::MemoryResponseStore memory;
  TimePoint now{};      // the injected clock
  FlowConfig config{};  // every rule at its default
  std::optional<VisitFlow> flow;

  VisitFlow& make() {
    FlowDeps deps;
    deps.store = &memory;
    deps.wall_clock = [] { return std::string("2026-11-22T10:00:00Z"); };
    flow.emplace(lobby(), config, deps);
    return *flow;
  }
  // Applies `intent` as a tap touching `after` from now.
  void tap(const Intent& intent, Millis after) {
    now += after;
    flow->tick(now);
    flow->apply(intent, now);
  }
  std::string at() const {
    const model::Question* q = flow->current_question();
    return q ? q->id : std::string("(") + to_string(flow->screen()) + ")";
  }
  std::vector<model::Response> stored() {
    auto rows = memory.pending(100);
    REQUIRE(rows.ok());
    std::vector<model::Response> out;
    for (const auto& row : rows.value()) {
      auto r = model::parse_response(row.payload);
      REQUIRE(r.ok());
      out.push_back(*r);
    }
    return out;
  }
};

// What a finger resting on one spot of the screen (the right-hand face, under which the yes/no screen has
// "No" and the follow-up has a choice) asks for on whatever is shown.
Intent under_the_spot(const VisitFlow& flow) {
  if (flow.screen() == Screen::Attract) return StartVisit{};
  if (flow.screen() == Screen::ThankYou) return Finish{};
  const model::Question* q = flow.current_question();
  if (q == nullptr) return {};
  switch (q->kind) {
    case model::QuestionKind::Rating:
      return SetAnswer{5, true};
    case model::QuestionKind::YesNo:
      return SetAnswer{false, true};
    case model::QuestionKind::MultipleChoice:
      return SetAnswer{std::vector<std::string>{"other"}, false};
    default:
      return {};
  }
}

}  // namespace

TEST_CASE("pacing: mashing one spot from the first question never completes a visit") {
  // The case is 15 taps 120 ms apart; other paces a child manages, and any phase after the first
  // question appeared, end the same way.
  for (const Millis interval : {30ms, 60ms, 120ms, 200ms, 350ms, 500ms, 650ms}) {
    for (const Millis first : {0ms, 120ms, 400ms, 1000ms, 3000ms}) {
      Rig rig;
      VisitFlow& flow = rig.make();
      flow.apply(StartVisit{}, rig.now);
      REQUIRE(rig.at() == "overall");
      rig.now += first;
      for (int i = 0; i < 15; ++i) {
        rig.tap(under_the_spot(flow), i == 0 ? 0ms : interval);
        INFO("every " << interval.count() << " ms, first " << first.count() << " ms in, tap " << i + 1);
        REQUIRE(flow.screen() == Screen::Question);
      }
      INFO("every " << interval.count() << " ms, first " << first.count() << " ms in: stopped at "
                    << rig.at());
      CHECK(rig.stored().empty());
      // What was mashed shows selected, waiting for a deliberate Next.
      CHECK(flow.current_answer() != nullptr);
    }
  }
}

TEST_CASE("pacing: 15 taps 120 ms apart stop on the second question with its answer selected") {
  Rig rig;
  VisitFlow& flow = rig.make();
  flow.apply(StartVisit{}, rig.now);
  rig.now += 1s;  // a resident who read the first question, then a child's finger
  for (int i = 0; i < 15; ++i) rig.tap(under_the_spot(flow), i == 0 ? 0ms : 120ms);
  CHECK(rig.at() == "listened");
  REQUIRE(flow.current_answer() != nullptr);
  CHECK(std::get<int>(*flow.current_answer()) == 5);
  // Next is the deliberate action that moves on.
  rig.tap(Next{}, 1s);
  CHECK(rig.at() == "next_steps");
}

TEST_CASE("pacing: a resident at a human pace completes the lobby survey with a note") {
  Rig rig;
  VisitFlow& flow = rig.make();
  flow.apply(StartVisit{}, rig.now);
  rig.tap(SetAnswer{4, true}, 2500ms);
  rig.tap(SetAnswer{5, true}, 1800ms);
  rig.tap(SetAnswer{4, true}, 1200ms);
  rig.tap(SetAnswer{5, true}, 900ms);  // quick, but not a run
  REQUIRE(rig.at() == "thank");
  rig.tap(SetAnswer{true, true}, 1500ms);
  REQUIRE(rig.at() == "thanks_note");
  rig.now += 1s;
  std::string note;
  for (char c : std::string("Officer Diaz was kind!")) {
    note += c;
    rig.tap(SetAnswer{note, false}, 110ms);  // 9 keys a second
  }
  rig.tap(Next{}, 800ms);
  REQUIRE(rig.at() == "employee");
  rig.tap(SetAnswer{std::string("4411"), false}, 2s);
  rig.tap(Next{}, 700ms);
  REQUIRE(flow.screen() == Screen::ThankYou);
  const auto stored = rig.stored();
  REQUIRE(stored.size() == 1);
  CHECK_FALSE(stored[0].misuse);
  REQUIRE(stored[0].answers.size() == 7);
  CHECK(std::get<std::string>(stored[0].answers[5].value) == note);
}

TEST_CASE("pacing: an answer sooner than min_read_time after its question appeared waits for Next") {
  Rig rig;
  VisitFlow& flow = rig.make();
  flow.apply(StartVisit{}, rig.now);
  SECTION("399 ms: selected, not moved on") {
    rig.tap(SetAnswer{3, true}, 399ms);
    CHECK(rig.at() == "overall");
    REQUIRE(flow.current_answer() != nullptr);
    CHECK(std::get<int>(*flow.current_answer()) == 3);
    // A later tap on another face changes the answer but still waits: this question waits for Next now.
    rig.tap(SetAnswer{4, true}, 2s);
    CHECK(rig.at() == "overall");
    CHECK(std::get<int>(*flow.current_answer()) == 4);
    rig.tap(Next{}, 500ms);
    CHECK(rig.at() == "listened");
    // The next question starts afresh: an answer read and given moves on.
    rig.tap(SetAnswer{4, true}, 1500ms);
    CHECK(rig.at() == "next_steps");
  }
  SECTION("400 ms: moves on") {
    rig.tap(SetAnswer{3, true}, 400ms);
    CHECK(rig.at() == "listened");
  }
}

TEST_CASE("pacing: after a run of quick answers the next one waits for Next") {
  Rig rig;
  VisitFlow& flow = rig.make();
  flow.apply(StartVisit{}, rig.now);
  SECTION("three answers 600 ms after their questions: the third waits") {
    rig.tap(SetAnswer{5, true}, 600ms);
    rig.tap(SetAnswer{5, true}, 600ms);
    REQUIRE(rig.at() == "next_steps");
    rig.tap(SetAnswer{5, true}, 600ms);
    CHECK(rig.at() == "next_steps");
    CHECK(flow.current_answer() != nullptr);
  }
  SECTION("700 ms each is a reader's pace: every one moves on") {
    rig.tap(SetAnswer{5, true}, 700ms);
    rig.tap(SetAnswer{5, true}, 700ms);
    rig.tap(SetAnswer{5, true}, 700ms);
    rig.tap(SetAnswer{5, true}, 700ms);
    CHECK(rig.at() == "thank");
  }
  SECTION("a slower answer ends the run") {
    rig.tap(SetAnswer{5, true}, 600ms);
    rig.tap(SetAnswer{5, true}, 600ms);
    rig.tap(SetAnswer{5, true}, 2s);
    rig.tap(SetAnswer{5, true}, 600ms);
    CHECK(rig.at() == "thank");
  }
}

TEST_CASE("pacing: Send works only once the last question has been on screen for send_delay") {
  Rig rig;
  VisitFlow& flow = rig.make();
  flow.apply(StartVisit{}, rig.now);
  for (int i = 0; i < 4; ++i) rig.tap(Next{}, 1s);  // skip the ratings
  REQUIRE(rig.at() == "thank");
  REQUIRE(flow.is_last_question());  // unanswered, nothing follows it
  SECTION("a tap on Send before is ignored; one after sends") {
    rig.tap(Next{}, 999ms);
    CHECK(rig.at() == "thank");
    CHECK_FALSE(flow.send_ready(rig.now));
    rig.now += 1ms;
    CHECK(flow.send_ready(rig.now));
    rig.tap(Next{}, 0ms);
    CHECK(flow.screen() == Screen::ThankYou);
  }
  SECTION("'No' given before is kept selected; Send then stores it") {
    rig.tap(SetAnswer{false, true}, 800ms);
    CHECK(rig.at() == "thank");
    REQUIRE(flow.current_answer() != nullptr);
    // The button is drawn again when it becomes ready.
    CHECK(flow.next_wakeup(rig.now) == rig.now + 200ms);
    rig.tap(Next{}, 200ms);
    REQUIRE(flow.screen() == Screen::ThankYou);
    const auto stored = rig.stored();
    REQUIRE(stored.size() == 1);
    REQUIRE(stored[0].answers.size() == 1);
    CHECK(std::get<bool>(stored[0].answers[0].value) == false);
  }
}

TEST_CASE("pacing: the tap guard drops a tap only when what was under it changed") {
  Rig rig;
  VisitFlow& flow = rig.make();
  flow.apply(StartVisit{}, rig.now);
  SECTION("keys on the same note screen, however fast, are all kept") {
    for (int i = 0; i < 4; ++i) rig.tap(Next{}, 1s);
    rig.tap(SetAnswer{true, true}, 1s);
    REQUIRE(rig.at() == "thanks_note");
    rig.now += 400ms;
    std::string note;
    for (char c : std::string("Thank you so much")) {
      note += c;
      rig.tap(SetAnswer{note, false}, 40ms);  // faster than anyone types
    }
    CHECK(std::get<std::string>(*flow.current_answer()) == "Thank you so much");
  }
  SECTION("a key tap in the guard after the screen changed is dropped: it was aimed at the screen before") {
    for (int i = 0; i < 4; ++i) rig.tap(Next{}, 1s);
    rig.tap(SetAnswer{true, true}, 1s);
    REQUIRE(rig.at() == "thanks_note");
    rig.tap(SetAnswer{std::string("T"), false}, 349ms);
    CHECK(flow.current_answer() == nullptr);
    rig.tap(SetAnswer{std::string("T"), false}, 1ms);
    CHECK(flow.current_answer() != nullptr);
  }
  SECTION("a double tap on Start over lands on nothing it did not see") {
    rig.tap(AskEndVisit{}, 2s);
    REQUIRE(flow.asking_end());
    rig.tap(EndVisit{}, 150ms);  // the second tap of the same finger, on what replaced Start over
    CHECK(flow.screen() == Screen::Question);
    rig.tap(KeepVisit{}, 0ms);
    CHECK(flow.asking_end());
    // The answers above the footer did not change: a face tapped now counts (and closes the question).
    rig.tap(SetAnswer{2, false}, 50ms);
    CHECK(flow.current_answer() != nullptr);
    CHECK_FALSE(flow.asking_end());
  }
  SECTION("after the guard the footer's answer counts") {
    rig.tap(AskEndVisit{}, 2s);
    rig.tap(KeepVisit{}, 350ms);
    CHECK_FALSE(flow.asking_end());
    CHECK(rig.at() == "overall");
  }
}

TEST_CASE("start over: asks once, ends only on Yes, and keeps the resident's language") {
  Rig rig;
  VisitFlow& flow = rig.make();
  flow.apply(ChooseLanguage{"es"}, rig.now);
  flow.apply(StartVisit{"es"}, rig.now);
  rig.tap(SetAnswer{4, true}, 2s);
  REQUIRE(rig.at() == "listened");
  SECTION("EndVisit without the question asked does nothing") {
    rig.tap(EndVisit{}, 1s);
    CHECK(rig.at() == "listened");
  }
  SECTION("No returns to the question with its answers") {
    rig.tap(AskEndVisit{}, 1s);
    CHECK(flow.asking_end());
    rig.tap(KeepVisit{}, 1s);
    CHECK_FALSE(flow.asking_end());
    rig.tap(Back{}, 1s);
    REQUIRE(rig.at() == "overall");
    CHECK(std::get<int>(*flow.current_answer()) == 4);
  }
  SECTION("Yes ends the visit; the attract screen and the next visit stay in Spanish") {
    rig.tap(AskEndVisit{}, 1s);
    rig.tap(EndVisit{}, 1s);
    REQUIRE(flow.screen() == Screen::Attract);
    CHECK(rig.stored().empty());  // partial_policy discard
    CHECK(flow.language() == "es");
    SECTION("as a picked language: the next visit runs in it") {
      rig.tap(StartVisit{flow.language()}, 5s);
      CHECK(flow.language() == "es");
    }
    SECTION("as a picked language: forgotten once the attract screen is left alone") {
      rig.now += rig.config.inactivity_timeout;
      flow.tick(rig.now);
      CHECK(flow.language().empty());
    }
  }
  SECTION("the visit ended by the timeout forgets the language") {
    rig.now += rig.config.inactivity_timeout;
    flow.tick(rig.now);
    rig.now += rig.config.still_there_timeout;
    flow.tick(rig.now);
    REQUIRE(flow.screen() == Screen::Attract);
    CHECK(flow.language().empty());
  }
}

TEST_CASE("empty visits: sent with nothing answered, stored flagged misuse \"empty\"") {
  Rig rig;
  VisitFlow& flow = rig.make();
  flow.apply(StartVisit{}, rig.now);
  for (int i = 0; i < 4; ++i) rig.tap(Next{}, 2s);
  SECTION("nothing answered") {
    rig.tap(Next{}, 2s);
    REQUIRE(flow.screen() == Screen::ThankYou);
    const auto stored = rig.stored();
    REQUIRE(stored.size() == 1);
    CHECK(stored[0].answers.empty());
    CHECK(stored[0].misuse);
    CHECK(stored[0].misuse_reason == "empty");
  }
  SECTION("one answer is feedback") {
    rig.tap(SetAnswer{false, true}, 2s);
    REQUIRE(flow.screen() == Screen::ThankYou);
    const auto stored = rig.stored();
    REQUIRE(stored.size() == 1);
    CHECK_FALSE(stored[0].misuse);
  }
}

namespace {

struct Step {
  std::string question;
  int position;
  int total;
};

// Walks the lobby survey with `answer` (empty intent: Next), recording the progress on every question; the
// progress after each answer is given is checked too, before the flow moves on.
std::vector<Step> walk(const std::function<Intent(const std::string&)>& answer) {
  Rig rig;
  rig.config.tap_guard = 0ms;  // progress only, at one instant; the pace is not what is tested here
  rig.config.min_read_time = 0ms;
  rig.config.quick_run = 0;
  rig.config.send_delay = 0ms;
  VisitFlow& flow = rig.make();
  flow.apply(StartVisit{}, rig.now);
  std::vector<Step> steps;
  int last_total = 1000;
  while (flow.screen() == Screen::Question && steps.size() < 20) {
    const Progress p = flow.progress();
    steps.push_back({rig.at(), p.position, p.total});
    INFO(rig.at() << ": " << p.position << " of " << p.total);
    CHECK(p.total <= last_total);  // going forward, the count only shrinks
    CHECK(p.position == static_cast<int>(steps.size()));
    if (p.position == p.total) CHECK(flow.is_last_question());  // a full bar only where nothing can follow
    last_total = p.total;
    const Intent intent = answer(rig.at());
    if (const auto* set = std::get_if<SetAnswer>(&intent)) {
      // Chosen but not moved on yet: the count already follows the answer.
      flow.apply(SetAnswer{set->value, false}, rig.now);
      const Progress chosen = flow.progress();
      INFO("after answering " << rig.at() << ": " << chosen.position << " of " << chosen.total);
      CHECK(chosen.total <= last_total);
      if (chosen.position == chosen.total) CHECK(flow.is_last_question());
      last_total = chosen.total;
    }
    flow.apply(Next{}, rig.now);
  }
  return steps;
}

std::string describe(const std::vector<Step>& steps) {
  std::string out;
  for (const Step& s : steps)
    out += s.question + " " + std::to_string(s.position) + "/" + std::to_string(s.total) + "; ";
  return out;
}

}  // namespace

TEST_CASE("progress: counts the questions this resident will see, at every step of the lobby survey") {
  SECTION("high ratings, no note: never '5 of 5' before a question that might follow") {
    const auto steps = walk([](const std::string& id) -> Intent {
      if (id == "thank") return SetAnswer{false, true};
      return SetAnswer{5, true};
    });
    CHECK(describe(steps) == "overall 1/8; listened 2/7; next_steps 3/7; above_beyond 4/7; thank 5/7; ");
  }
  SECTION("high ratings and a note: 5 of 7, 6 of 7, 7 of 7 (today: 5 of 5, then 6 of 7)") {
    const auto steps = walk([](const std::string& id) -> Intent {
      if (id == "thank") return SetAnswer{true, true};
      if (id == "thanks_note" || id == "employee") return {};
      return SetAnswer{4, true};
    });
    CHECK(describe(steps) ==
          "overall 1/8; listened 2/7; next_steps 3/7; above_beyond 4/7; thank 5/7; thanks_note 6/7; "
          "employee 7/7; ");
  }
  SECTION("a low rating keeps the follow-up in the count (today: 1 of 5, then 5 of 6)") {
    const auto steps = walk([](const std::string& id) -> Intent {
      if (id == "overall") return SetAnswer{1, true};
      if (id == "improve") return SetAnswer{std::vector<std::string>{"wait"}, false};
      if (id == "thank") return SetAnswer{true, true};
      if (id == "thanks_note" || id == "employee") return {};
      return SetAnswer{2, true};
    });
    CHECK(describe(steps) ==
          "overall 1/8; listened 2/8; next_steps 3/8; above_beyond 4/8; improve 5/8; thank 6/8; "
          "thanks_note 7/8; employee 8/8; ");
  }
  SECTION("everything skipped") {
    const auto steps = walk([](const std::string&) -> Intent { return {}; });
    // Skipped, "overall" can no longer open its follow-up, nor "thank" its note.
    CHECK(describe(steps) == "overall 1/8; listened 2/7; next_steps 3/7; above_beyond 4/7; thank 5/7; ");
  }
}

TEST_CASE("progress: going back and changing an answer opens or closes questions again") {
  Rig rig;
  rig.config.tap_guard = 0ms;  // at one instant
  rig.config.min_read_time = 0ms;
  rig.config.quick_run = 0;
  VisitFlow& flow = rig.make();
  flow.apply(StartVisit{}, rig.now);
  flow.apply(SetAnswer{5, true}, rig.now);
  CHECK(flow.progress().total == 7);
  flow.apply(Back{}, rig.now);
  flow.apply(SetAnswer{2, false}, rig.now);
  CHECK(flow.progress().total == 8);
  CHECK(flow.progress().position == 1);
}

TEST_CASE("the thank-you screen: a note says who reads it; a low rating stays to say where complaints go") {
  Rig rig;
  VisitFlow& flow = rig.make();
  flow.apply(StartVisit{}, rig.now);
  SECTION("low overall rating, no note: complaints_duration") {
    rig.tap(SetAnswer{2, true}, 2s);
    for (int i = 0; i < 4; ++i) rig.tap(Next{}, 2s);
    rig.tap(SetAnswer{false, true}, 2s);
    REQUIRE(flow.screen() == Screen::ThankYou);
    CHECK(flow.ending().low_rating);
    CHECK_FALSE(flow.ending().note);
    CHECK(flow.seconds_left(rig.now) == 15);
    rig.now += rig.config.thank_you_duration;
    flow.tick(rig.now);
    CHECK(flow.screen() == Screen::ThankYou);  // still there to be read
    rig.now += rig.config.complaints_duration - rig.config.thank_you_duration;
    flow.tick(rig.now);
    CHECK(flow.screen() == Screen::Attract);
  }
  SECTION("a 3 is not low; a note is told") {
    rig.tap(SetAnswer{3, true}, 2s);
    for (int i = 0; i < 3; ++i) rig.tap(Next{}, 2s);
    rig.tap(SetAnswer{true, true}, 2s);
    rig.tap(SetAnswer{std::string("Thanks"), false}, 2s);
    rig.tap(Next{}, 2s);
    rig.tap(Next{}, 2s);
    REQUIRE(flow.screen() == Screen::ThankYou);
    CHECK(flow.ending().note);
    CHECK_FALSE(flow.ending().low_rating);
    CHECK(flow.seconds_left(rig.now) == 6);
    rig.now += rig.config.thank_you_duration;
    flow.tick(rig.now);
    CHECK(flow.screen() == Screen::Attract);
  }
}
