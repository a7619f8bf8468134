// The visit's screens around issue 12: "Start over" asks in the footer, the note and employee screens say who
// reads the note, "Send" is shown not ready at first, and the thank-you screen tells a note's readers and,
// after a low rating, where complaints go.
#include <catch2/catch.hpp>

#include "kiosk/i18n/languages.hpp"
#include "kiosk/ui/messages.hpp"
#include "ui_test_support.hpp"

using namespace fk;
using namespace fk::test;
using namespace std::chrono_literals;

namespace {

bool drew(const HeadlessUi& ui, const std::string& text) {
  for (const auto& t : ui.record().texts) {
    if (t == text) return true;
  }
  return false;
}

// Drawn as part of a longer text (who reads a note shares the hint's line).
bool drew_within(const HeadlessUi& ui, const std::string& text) {
  for (const auto& t : ui.record().texts) {
    if (t.find(text) != std::string::npos) return true;
  }
  return false;
}

void check_targets(const HeadlessUi& ui) {
  const auto& ts = ui.record().targets;
  REQUIRE_FALSE(ts.empty());
  for (size_t i = 0; i < ts.size(); ++i) {
    INFO("target " << ts[i].id << " on " << ui.record().screen);
    CHECK(ts[i].height() >= 90.0f);
    CHECK(ts[i].min.x >= 0);
    CHECK(ts[i].min.y >= 0);
    CHECK(ts[i].max.x <= ui.size().x);
    CHECK(ts[i].max.y <= ui.size().y);
    for (size_t j = i + 1; j < ts.size(); ++j) {
      INFO(ts[i].id << " and " << ts[j].id);
      CHECK((ts[i].max.x <= ts[j].min.x || ts[j].max.x <= ts[i].min.x || ts[i].max.y <= ts[j].min.y ||
             ts[j].max.y <= ts[i].min.y));
    }
  }
}

// The lobby survey's rig moved on to question `id` through Next (and "yes" to the thank question).
void go_to(FlowRig& rig, const std::string& id) {
  for (int i = 0; i < 10 && rig.flow.current_question() && rig.flow.current_question()->id != id; ++i) {
    if (rig.flow.current_question()->id == "thank") {
      rig.flow.apply(flow::SetAnswer{true, true}, rig.now);
    } else {
      rig.flow.apply(flow::Next{}, rig.now);
    }
  }
  REQUIRE(rig.flow.current_question() != nullptr);
  REQUIRE(rig.flow.current_question()->id == id);
}

}  // namespace

TEST_CASE("Start over asks in the footer: No where Start over was, Yes beside it, in every language") {
  HeadlessUi ui;
  for (const i18n::Language& language : i18n::supported_languages()) {
    const std::string tag(language.tag);
    INFO(tag);
    FlowRig rig;
    rig.flow.apply(flow::StartVisit{tag}, rig.now);
    ui.frame(rig.view());
    REQUIRE(ui.record().find("start-over") != nullptr);
    const ui::TouchTarget start_over = *ui.record().find("start-over");
    const auto ask = ui.tap(rig.view(), "start-over");
    REQUIRE(std::holds_alternative<flow::AskEndVisit>(ask));
    rig.flow.apply(ask, rig.now);
    REQUIRE(rig.view().asking_end);

    ui.frame(rig.view());
    CHECK(ui.record().find("start-over") == nullptr);
    CHECK(ui.record().find("back") == nullptr);  // nothing else in the footer while it asks
    CHECK(ui.record().find("next") == nullptr);
    const ui::TouchTarget* no = ui.record().find("end-no");
    const ui::TouchTarget* yes = ui.record().find("end-yes");
    REQUIRE(no != nullptr);
    REQUIRE(yes != nullptr);
    // A second tap of the finger that touched Start over keeps the visit.
    CHECK(no->min.x == start_over.min.x);
    CHECK(no->max.y == start_over.max.y);
    const i18n::Catalog& catalog = ui.catalogs().get(tag);
    CHECK(drew(ui, catalog.text(ui::msg::kEndVisitConfirm)));
    CHECK(no->label == catalog.text(ui::msg::kNo));
    CHECK(yes->label == catalog.text(ui::msg::kYes));
    check_targets(ui);
    CHECK(ui.record().find("rating-3") != nullptr);  // the question stays answerable

    CHECK(std::holds_alternative<flow::KeepVisit>(ui.tap(rig.view(), "end-no")));
    CHECK(std::holds_alternative<flow::EndVisit>(ui.tap(rig.view(), "end-yes")));
    rig.flow.apply(flow::EndVisit{}, rig.now);
    CHECK(rig.flow.screen() == flow::Screen::Attract);
    CHECK(rig.view().language == tag);  // the attract screen stays in the resident's language
  }
}

TEST_CASE("the note and employee screens say who reads the note; a rating does not") {
  HeadlessUi ui;
  FlowRig rig;
  rig.flow.apply(flow::StartVisit{}, rig.now);
  ui.frame(rig.view());
  CHECK_FALSE(drew_within(ui, ui::msg::kNoteReaders));
  go_to(rig, "thanks_note");
  ui.frame(rig.view());
  // After the hint, in its line where it fits: the note box keeps its room.
  CHECK(drew(ui, "Up to 500 characters. Please do not include personal details. " +
                     std::string(ui::msg::kNoteReaders)));
  check_targets(ui);
  ui::ScreenView configured = rig.view();
  configured.note_readers_text = "Your note goes to the officer and the watch commander.";
  ui.frame(configured);
  CHECK(drew_within(ui, configured.note_readers_text));
  CHECK_FALSE(drew_within(ui, ui::msg::kNoteReaders));
  go_to(rig, "employee");
  ui.frame(rig.view());
  CHECK(drew_within(ui, ui::msg::kNoteReaders));
  check_targets(ui);
  ui.frame([&] {
    auto es = rig.view();
    es.language = "es";
    return es;
  }());
  CHECK(drew_within(ui, ui.catalogs().get("es").text(ui::msg::kNoteReaders)));
}

TEST_CASE("the progress line counts what may follow: Question 1 of 8 on the lobby survey's first") {
  HeadlessUi ui;
  FlowRig rig;
  rig.flow.apply(flow::StartVisit{}, rig.now);
  ui.frame(rig.view());
  CHECK(drew(ui, "Question 1 of 8"));
  rig.flow.apply(flow::SetAnswer{5, false}, rig.now);
  ui.frame(rig.view());
  CHECK(drew(ui, "Question 1 of 7"));  // a good rating closes the follow-up
}

TEST_CASE("Send is shown not ready until the last question has been on screen for send_delay") {
  store::MemoryResponseStore store;
  flow::FlowDeps deps;
  deps.store = &store;
  flow::VisitFlow flow(lobby_survey(), flow::FlowConfig{}, deps);
  flow::TimePoint now{};
  flow.apply(flow::StartVisit{}, now);
  for (int i = 0; i < 4; ++i) flow.apply(flow::Next{}, now += 2s);
  REQUIRE(flow.current_question()->id == "thank");
  CHECK(ui::make_view(flow, now).is_last);
  CHECK_FALSE(ui::make_view(flow, now + 999ms).send_ready);
  CHECK(ui::make_view(flow, now + 1s).send_ready);
  HeadlessUi ui;
  ui.frame(ui::make_view(flow, now));
  CHECK(ui.record().find("next")->label == "Send");  // still says what it will do
}

TEST_CASE("thank you: a note's readers, and after a low rating where complaints go, in every language") {
  HeadlessUi ui;
  for (const i18n::Language& language : i18n::supported_languages()) {
    const std::string tag(language.tag);
    INFO(tag);
    const i18n::Catalog& catalog = ui.catalogs().get(tag);
    ui::ScreenView view;
    view.screen = flow::Screen::ThankYou;
    view.language = tag;
    ui.frame(view);
    CHECK_FALSE(drew(ui, catalog.text(ui::msg::kNoteReaders)));
    CHECK_FALSE(drew(ui, catalog.text(ui::msg::kComplaintsDefault)));
    view.ending.note = true;
    view.ending.low_rating = true;
    ui.frame(view);
    CHECK(drew(ui, catalog.text(ui::msg::kThankYou)));
    CHECK(drew(ui, catalog.text(ui::msg::kNoteReaders)));
    CHECK(drew(ui, catalog.text(ui::msg::kComplaintsDefault)));
    check_targets(ui);  // Done stays on screen with both
    view.complaints_text = "Complaints: example.gov/complaints";
    ui.frame(view);
    CHECK(drew(ui, view.complaints_text));
  }
}
