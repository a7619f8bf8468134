// The visit's language: picked on the attract screen, kept for one visit (and through Back to the attract
// screen), forgotten after a visit or when the attract screen is left alone; stored with the response.
#include <catch2/catch.hpp>

#include "kiosk/flow/visit_flow.hpp"
#include "sync/model/survey_parser.hpp"
#include "sync/store/memory_response_store.hpp"
#include "tests/kiosk/flow/lobby_survey.hpp"

using namespace fk;
using namespace fk::flow;
using namespace std::chrono_literals;

namespace {

using test::lobby;

// A survey in English and Spanish only: the kiosk speaks more languages than this survey offers.
std::shared_ptr<const model::SurveyDefinition> english_and_spanish() {
  auto survey = model::parse_survey(
      "id = \"two\"\nversion = 1\nlanguages = [\"en\", \"es\"]\n"
      "title = { en = \"Quick question\", es = \"Una pregunta\" }\n"
      "[[question]]\nid = \"overall\"\nkind = \"rating\"\n"
      "text = { en = \"How was your visit?\", es = \"¿Cómo fue su visita?\" }\n",
      "two.toml");
  REQUIRE(survey.ok());
  return std::make_shared<const model::SurveyDefinition>(std::move(survey.value()));
}

struct Harness {
  store::MemoryResponseStore memory;
  TimePoint now{};  // the injected clock
  FlowConfig config = [] {
    FlowConfig c;
    c.tap_guard = Millis{0};      // taps at machine speed; the guard has its own test
    c.min_read_time = Millis{0};  // the rules against mashing too (pacing_test.cpp)
    c.quick_run = 0;
    c.send_delay = Millis{0};
    c.still_there_guard = Millis{0};
    c.default_language = "vi";  // not English, so "back to the default" cannot pass by accident
    return c;
  }();

  VisitFlow make(std::shared_ptr<const model::SurveyDefinition> survey = lobby()) {
    FlowDeps deps;
    deps.store = &memory;
    deps.wall_clock = [] { return std::string("2024-05-01T10:00:00Z"); };
    return VisitFlow(std::move(survey), config, deps);
  }
  void advance(Millis d, VisitFlow& flow) {
    now += d;
    flow.tick(now);
  }
};

// Skips every question to the end (the lobby survey stores a response with no answers).
void skip_to_end(VisitFlow& flow, TimePoint now) {
  for (int i = 0; i < 20 && flow.screen() == Screen::Question; ++i) flow.apply(Next{}, now);
  REQUIRE(flow.screen() == Screen::ThankYou);
}

std::vector<model::Response> stored(store::ResponseStore& s) {
  auto rows = s.pending(100);
  REQUIRE(rows.ok());
  std::vector<model::Response> out;
  for (const auto& row : rows.value()) {
    auto response = model::parse_response(row.payload);
    REQUIRE(response.ok());
    out.push_back(response.value());
  }
  return out;
}

}  // namespace

TEST_CASE("language: a language picked on the attract screen runs the next visit and is stored with it") {
  Harness h;
  auto flow = h.make();
  CHECK(flow.language().empty());  // nothing picked: the default
  flow.apply(ChooseLanguage{"ar"}, h.now);
  CHECK(flow.screen() == Screen::Attract);
  CHECK(flow.language() == "ar");
  flow.apply(ChooseLanguage{"es"}, h.now);  // a resident may change their mind
  CHECK(flow.language() == "es");

  // The attract screen starts the visit with the language it shows.
  flow.apply(StartVisit{flow.language()}, h.now);
  REQUIRE(flow.screen() == Screen::Question);
  CHECK(flow.language() == "es");
  flow.apply(SetAnswer{4, true}, h.now);
  skip_to_end(flow, h.now);

  const auto responses = stored(h.memory);
  REQUIRE(responses.size() == 1);
  CHECK(responses[0].language == "es");
  CHECK(responses[0].answers.size() == 1);
}

TEST_CASE("language: without a pick the visit runs and is stored in the configured default") {
  Harness h;
  auto flow = h.make();
  flow.apply(StartVisit{}, h.now);
  CHECK(flow.language() == "vi");
  skip_to_end(flow, h.now);
  const auto responses = stored(h.memory);
  REQUIRE(responses.size() == 1);
  CHECK(responses[0].language == "vi");
}

TEST_CASE("language: a language the survey does not list is ignored") {
  Harness h;
  auto flow = h.make(english_and_spanish());
  flow.apply(ChooseLanguage{"ar"}, h.now);  // the kiosk speaks Arabic, this survey does not
  CHECK(flow.language().empty());
  flow.apply(ChooseLanguage{"xx"}, h.now);  // nobody speaks this
  CHECK(flow.language().empty());
  CHECK(flow.next_wakeup(h.now) == std::nullopt);  // nothing picked, nothing to forget
  flow.apply(ChooseLanguage{"es"}, h.now);
  CHECK(flow.language() == "es");
  flow.apply(ChooseLanguage{"ko"}, h.now);  // an unlisted pick leaves the listed one in place
  CHECK(flow.language() == "es");
}

TEST_CASE("language: ChooseLanguage on a question screen is ignored") {
  Harness h;
  auto flow = h.make();
  flow.apply(ChooseLanguage{"fr"}, h.now);
  flow.apply(StartVisit{"fr"}, h.now);
  REQUIRE(flow.screen() == Screen::Question);
  flow.apply(ChooseLanguage{"es"}, h.now);
  CHECK(flow.screen() == Screen::Question);
  CHECK(flow.language() == "fr");
  CHECK(flow.current_question()->id == "overall");
  skip_to_end(flow, h.now);
  const auto responses = stored(h.memory);
  REQUIRE(responses.size() == 1);
  CHECK(responses[0].language == "fr");
}

TEST_CASE("language: a picked language returns to the default after the attract screen is left alone") {
  Harness h;
  auto flow = h.make();
  CHECK(flow.next_wakeup(h.now) == std::nullopt);  // an idle attract screen with nothing picked sleeps
  h.advance(10s, flow);
  const TimePoint picked_at = h.now;
  flow.apply(ChooseLanguage{"ko"}, h.now);
  REQUIRE(flow.language() == "ko");
  CHECK(flow.next_wakeup(h.now) == picked_at + h.config.inactivity_timeout);

  h.advance(h.config.inactivity_timeout - 1ms, flow);
  CHECK(flow.language() == "ko");
  CHECK(flow.next_wakeup(h.now) == picked_at + h.config.inactivity_timeout);
  h.advance(1ms, flow);
  CHECK(flow.language().empty());
  CHECK(flow.next_wakeup(h.now) == std::nullopt);

  // The next resident starts in the default language.
  flow.apply(StartVisit{}, h.now);
  CHECK(flow.language() == "vi");
}

TEST_CASE("language: picking again restarts the attract screen's timeout") {
  Harness h;
  auto flow = h.make();
  flow.apply(ChooseLanguage{"ko"}, h.now);
  h.advance(30s, flow);
  flow.apply(ChooseLanguage{"zh"}, h.now);
  const TimePoint second_pick = h.now;
  CHECK(flow.next_wakeup(h.now) == second_pick + h.config.inactivity_timeout);
  h.advance(h.config.inactivity_timeout - 1s, flow);  // well past the first pick's deadline
  CHECK(flow.language() == "zh");
  h.advance(1s, flow);
  CHECK(flow.language().empty());
}

TEST_CASE("language: after a completed visit the attract screen is back in the default language") {
  Harness h;
  auto flow = h.make();
  flow.apply(ChooseLanguage{"ar"}, h.now);
  flow.apply(StartVisit{"ar"}, h.now);
  skip_to_end(flow, h.now);
  CHECK(flow.language() == "ar");  // the thank-you screen is still in the resident's language
  SECTION("the thank-you screen times out") {
    h.advance(h.config.thank_you_duration, flow);
  }
  SECTION("the resident taps Done") {
    flow.apply(Finish{}, h.now);
  }
  REQUIRE(flow.screen() == Screen::Attract);
  CHECK(flow.language().empty());
  CHECK(flow.next_wakeup(h.now) == std::nullopt);
  flow.apply(StartVisit{}, h.now);
  CHECK(flow.language() == "vi");
}

TEST_CASE("language: Back from the first question keeps the language on the attract screen") {
  Harness h;
  auto flow = h.make();
  flow.apply(ChooseLanguage{"es"}, h.now);
  flow.apply(StartVisit{"es"}, h.now);
  h.advance(5s, flow);
  flow.apply(Back{}, h.now);
  REQUIRE(flow.screen() == Screen::Attract);
  CHECK(flow.language() == "es");
  // Kept until the attract screen has been left alone for the timeout, counted from the Back.
  const TimePoint back_at = h.now;
  CHECK(flow.next_wakeup(h.now) == back_at + h.config.inactivity_timeout);
  h.advance(h.config.inactivity_timeout - 1ms, flow);
  CHECK(flow.language() == "es");
  flow.apply(StartVisit{flow.language()}, h.now);
  CHECK(flow.language() == "es");
  CHECK(flow.visit_uuid().size() == 36);
}
