// Every screen rendered headless: what is drawn, where a finger can land, and what a tap asks for.
#include <imgui_internal.h>  // ImTextCharFromUtf8

#include <catch2/catch.hpp>
#include <set>

#include "kiosk/ui/messages.hpp"
#include "ui_test_support.hpp"

using namespace fk;
using namespace fk::test;

namespace {

// Every character of every drawn string must be in the atlas: no missing-glyph boxes.
void check_glyphs(const HeadlessUi& ui) {
  for (const std::string& text : ui.record().texts) {
    const char* s = text.c_str();
    const char* end = s + text.size();
    while (s < end) {
      unsigned int c = 0;
      s += ImTextCharFromUtf8(&c, s, end);
      if (c == '\n') continue;
      INFO("text: " << text << " code point U+" << std::hex << c);
      CHECK(ui.fonts().body->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr);
    }
  }
}

// The floor: touch targets at least ~90 px tall at 1080p.
void check_targets(const HeadlessUi& ui) {
  REQUIRE_FALSE(ui.record().targets.empty());
  for (const auto& t : ui.record().targets) {
    INFO("target " << t.id << " on " << ui.record().screen);
    CHECK(t.height() >= 90.0f);
    CHECK(t.min.x >= 0);
    CHECK(t.min.y >= 0);
    CHECK(t.max.x <= ui.size().x);
    CHECK(t.max.y <= ui.size().y);
  }
}

bool drew(const HeadlessUi& ui, const std::string& text) {
  for (const auto& t : ui.record().texts) {
    if (t == text) return true;
  }
  return false;
}

// Targets must not overlap, or a finger could hit two.
void check_no_overlap(const HeadlessUi& ui) {
  const auto& ts = ui.record().targets;
  for (size_t i = 0; i < ts.size(); ++i) {
    for (size_t j = i + 1; j < ts.size(); ++j) {
      const bool apart = ts[i].max.x <= ts[j].min.x || ts[j].max.x <= ts[i].min.x ||
                         ts[i].max.y <= ts[j].min.y || ts[j].max.y <= ts[i].min.y;
      INFO(ts[i].id << " and " << ts[j].id);
      CHECK(apart);
    }
  }
}

}  // namespace

TEST_CASE("attract screen shows the survey title and starts a visit") {
  HeadlessUi ui;
  FlowRig rig;
  ui.frame(rig.view());
  CHECK(ui.record().screen == "attract");
  CHECK(drew(ui, "How did we do today?"));
  CHECK(drew(ui, ui::msg::kNotForEmergencies));
  check_targets(ui);
  check_glyphs(ui);
  const auto intent = ui.tap(rig.view(), "start");
  REQUIRE(std::holds_alternative<flow::StartVisit>(intent));
}

TEST_CASE("every question of the lobby survey renders legibly with touch-sized targets") {
  HeadlessUi ui;
  FlowRig rig;
  rig.flow.apply(flow::StartVisit{}, rig.now);
  rig.flow.apply(flow::SetAnswer{1, true}, rig.now);  // a low rating, so the follow-up is shown too
  for (int i = 0; i < 3; ++i) rig.flow.apply(flow::Back{}, rig.now);
  rig.flow.apply(flow::Back{}, rig.now);
  REQUIRE(rig.flow.screen() == flow::Screen::Attract);
  rig.flow.apply(flow::StartVisit{}, rig.now);
  std::set<std::string> seen;
  for (int step = 0; step < 20 && rig.flow.screen() == flow::Screen::Question; ++step) {
    const auto view = rig.view();
    ui.frame(view);
    INFO("question " << view.question->id);
    seen.insert(view.question->id);
    CHECK(ui.record().screen == "question");
    CHECK(drew(ui, view.question->text.get("en")));
    check_targets(ui);
    check_no_overlap(ui);
    check_glyphs(ui);
    if (view.question->id == "overall") {
      rig.flow.apply(flow::SetAnswer{1, true}, rig.now);
    } else if (view.question->id == "thank") {
      rig.flow.apply(flow::SetAnswer{true, true}, rig.now);
    } else {
      rig.flow.apply(flow::Next{}, rig.now);
    }
  }
  CHECK(seen == std::set<std::string>{"overall", "listened", "next_steps", "above_beyond", "improve", "thank",
                                      "thanks_note", "employee"});
}

TEST_CASE("a rating shows five faces with word labels; a tap answers and moves on") {
  HeadlessUi ui;
  FlowRig rig;
  rig.flow.apply(flow::StartVisit{}, rig.now);
  ui.frame(rig.view());
  for (int r = 1; r <= 5; ++r) REQUIRE(ui.record().find("rating-" + std::to_string(r)) != nullptr);
  CHECK(ui.record().find("rating-1")->label == "Very poor");
  CHECK(ui.record().find("rating-5")->label == "Excellent");
  CHECK(drew(ui, "Very poor"));  // the word is drawn, not only the colour
  CHECK(ui.record().find("rating-1")->min.x < ui.record().find("rating-5")->min.x);
  const auto intent = ui.tap(rig.view(), "rating-4");
  const auto* set = std::get_if<flow::SetAnswer>(&intent);
  REQUIRE(set != nullptr);
  CHECK(std::get<int>(set->value) == 4);
  CHECK(set->advance);
}

TEST_CASE("the forward button says Skip, Next or Send") {
  HeadlessUi ui;
  FlowRig rig;
  rig.flow.apply(flow::StartVisit{}, rig.now);
  ui.frame(rig.view());
  CHECK(ui.record().find("next")->label == "Skip");
  rig.flow.apply(flow::SetAnswer{3, false}, rig.now);
  ui.frame(rig.view());
  CHECK(ui.record().find("next")->label == "Next");
  CHECK(ui.record().find("rating-3")->selected);
  for (int i = 0; i < 4; ++i) rig.flow.apply(flow::Next{}, rig.now);
  rig.flow.apply(flow::SetAnswer{true, true}, rig.now);
  rig.flow.apply(flow::Next{}, rig.now);
  ui.frame(rig.view());
  REQUIRE(rig.view().question->id == "employee");
  CHECK(ui.record().find("next")->label == "Send");
  CHECK(std::holds_alternative<flow::Back>(ui.tap(rig.view(), "back")));
  CHECK(std::holds_alternative<flow::Next>(ui.tap(rig.view(), "next")));
}

TEST_CASE("multiple choice toggles in the survey's order and waits for Next") {
  HeadlessUi ui;
  FlowRig rig;
  rig.flow.apply(flow::StartVisit{}, rig.now);
  rig.flow.apply(flow::SetAnswer{2, true}, rig.now);
  for (int i = 0; i < 3; ++i) rig.flow.apply(flow::Next{}, rig.now);
  REQUIRE(rig.view().question->id == "improve");
  rig.flow.apply(flow::SetAnswer{std::vector<std::string>{"courtesy"}, false}, rig.now);
  const auto intent = ui.tap(rig.view(), "choice-wait");
  const auto* set = std::get_if<flow::SetAnswer>(&intent);
  REQUIRE(set != nullptr);
  CHECK_FALSE(set->advance);
  CHECK(std::get<std::vector<std::string>>(set->value) == std::vector<std::string>{"wait", "courtesy"});
}

TEST_CASE("still-there, thank-you and unavailable screens") {
  HeadlessUi ui;
  FlowRig rig;
  rig.flow.apply(flow::StartVisit{}, rig.now);
  rig.now += std::chrono::seconds(45);
  rig.flow.tick(rig.now);
  ui.frame(rig.view());
  CHECK(ui.record().screen == "still_there");
  CHECK(drew(ui, "This visit ends in 20 seconds."));
  check_targets(ui);
  CHECK(std::holds_alternative<flow::StillHere>(ui.tap(rig.view(), "continue")));
  // "Start over" asks once: "No" keeps the visit, "Yes" ends it.
  CHECK(flow::is_none(ui.tap(rig.view(), "start-over")));
  ui.frame(rig.view());
  CHECK(drew(ui, "End this visit now?"));
  CHECK(ui.record().find("start-over") == nullptr);
  check_targets(ui);
  check_no_overlap(ui);
  CHECK(flow::is_none(ui.tap(rig.view(), "end-no")));
  ui.frame(rig.view());
  CHECK_FALSE(drew(ui, "End this visit now?"));
  CHECK(flow::is_none(ui.tap(rig.view(), "start-over")));
  CHECK(std::holds_alternative<flow::EndVisit>(ui.tap(rig.view(), "end-yes")));

  rig.flow.apply(flow::StillHere{}, rig.now);
  rig.flow.apply(flow::SetAnswer{5, true}, rig.now);
  for (int i = 0; i < 3; ++i) rig.flow.apply(flow::Next{}, rig.now);
  rig.flow.apply(flow::SetAnswer{false, true}, rig.now);
  ui.frame(rig.view());
  CHECK(ui.record().screen == "thank_you");
  CHECK(drew(ui, "Thank you!"));
  check_glyphs(ui);
  CHECK(std::holds_alternative<flow::Finish>(ui.tap(rig.view(), "done")));

  flow::VisitFlow broken(lobby_survey(), flow::FlowConfig{}, flow::FlowDeps{});
  ui.frame(ui::make_view(broken, rig.now));
  CHECK(ui.record().screen == "unavailable");
  CHECK(drew(ui, "This kiosk is temporarily unavailable."));
  CHECK(ui.record().targets.empty());  // nothing to tap, nothing to lose
}

TEST_CASE("a smaller screen scales targets but keeps them finger-sized") {
  HeadlessUi ui({1280, 800});
  FlowRig rig;
  rig.flow.apply(flow::StartVisit{}, rig.now);
  for (int i = 0; i < 4; ++i) rig.flow.apply(flow::Next{}, rig.now);
  rig.flow.apply(flow::SetAnswer{true, true}, rig.now);
  ui.frame(rig.view());
  REQUIRE(rig.view().question->id == "thanks_note");
  for (const auto& t : ui.record().targets) {
    INFO(t.id);
    CHECK(t.height() >= 66.0f);  // 96 px at 1080p scaled to 800 px: about 9 mm on a 10-inch panel
    CHECK(t.max.y <= 800.0f);
  }
  check_no_overlap(ui);
}

TEST_CASE("every question kind renders in every language of the survey") {
  const auto survey = all_kinds_survey();
  HeadlessUi ui({1920, 1080}, survey);
  for (const std::string& language : survey->languages) {
    FlowRig rig(survey);
    rig.flow.apply(flow::StartVisit{language}, rig.now);
    std::set<std::string> seen;
    for (int step = 0; step < 20 && rig.flow.screen() == flow::Screen::Question; ++step) {
      const auto view = rig.view();
      INFO(language << " question " << view.question->id);
      seen.insert(view.question->id);
      ui.frame(view);
      CHECK(drew(ui, view.question->text.get(language)));
      check_targets(ui);
      check_no_overlap(ui);
      check_glyphs(ui);
      // Answer so every conditional question is reached.
      switch (view.question->kind) {
        case model::QuestionKind::Rating:
          rig.flow.apply(flow::SetAnswer{3, true}, rig.now);
          break;
        case model::QuestionKind::YesNo:
          rig.flow.apply(flow::SetAnswer{false, true}, rig.now);
          break;
        case model::QuestionKind::SingleChoice:
          rig.flow.apply(flow::SetAnswer{std::vector<std::string>{"records"}, true}, rig.now);
          break;
        case model::QuestionKind::MultipleChoice:
          rig.flow.apply(flow::SetAnswer{std::vector<std::string>{"phone"}, false}, rig.now);
          ui.frame(rig.view());
          CHECK(ui.record().find("choice-phone")->selected);
          rig.flow.apply(flow::Next{}, rig.now);
          break;
        case model::QuestionKind::Contact: {
          // No keyboard until the resident agrees to be contacted.
          CHECK(ui.record().find("key-a") == nullptr);
          const auto intent = ui.tap(view, "consent");
          rig.flow.apply(intent, rig.now);
          ui.frame(rig.view());
          CHECK(ui.record().find("consent")->selected);
          CHECK(ui.record().find("key-a") != nullptr);
          check_glyphs(ui);
          rig.flow.apply(flow::Next{}, rig.now);
          break;
        }
        default:
          rig.flow.apply(flow::Next{}, rig.now);
          break;
      }
    }
    CHECK(seen.size() == 8);
    CHECK(rig.flow.screen() == flow::Screen::ThankYou);
  }
}

// "Still there?" appears while a finger may be on its way to a key or an answer: the controls that end the
// visit must not be under any of them, on any question screen, in any language (keyboards differ).
TEST_CASE("still-there's end controls sit where no key or answer of any question was") {
  for (const char* language : {"en", "es", "fr", "vi", "ar", "ko", "zh"}) {
    INFO("language " << language);
    HeadlessUi ui;
    FlowRig rig;  // the lobby survey: ratings, the follow-up choices, yes/no, the note and the name
    rig.flow.apply(flow::StartVisit{language}, rig.now);
    std::vector<ui::TouchTarget> answers;  // every key and answer seen on the way through the survey
    for (int step = 0; step < 20 && rig.flow.screen() == flow::Screen::Question; ++step) {
      ui.frame(rig.view());
      for (const auto& t : ui.record().targets) {
        if (t.id != "back" && t.id != "next" && t.id != "start-over") answers.push_back(t);
      }
      // A low first rating and a "yes" to thanking someone open every follow-up question.
      const model::Question& q = *rig.view().question;
      if (q.kind == model::QuestionKind::Rating) rig.flow.apply(flow::SetAnswer{2, false}, rig.now);
      if (q.kind == model::QuestionKind::YesNo) rig.flow.apply(flow::SetAnswer{true, false}, rig.now);
      rig.flow.apply(flow::Next{}, rig.now);
    }
    REQUIRE(answers.size() > 60);  // the keyboard was seen, not only the ratings
    rig.flow.apply(flow::Finish{}, rig.now);
    rig.flow.apply(flow::StartVisit{language}, rig.now);
    rig.now += std::chrono::minutes(1);
    rig.flow.tick(rig.now);
    REQUIRE(rig.flow.screen() == flow::Screen::StillThere);
    auto check_clear = [&] {
      for (const char* id : {"start-over", "end-yes", "end-no"}) {
        const ui::TouchTarget* end = ui.record().find(id);
        if (end == nullptr) continue;
        for (const auto& a : answers) {
          INFO(id << " against " << a.id);
          const bool apart = end->max.x <= a.min.x || a.max.x <= end->min.x || end->max.y <= a.min.y ||
                             a.max.y <= end->min.y;
          CHECK(apart);
        }
      }
    };
    ui.frame(rig.view());
    REQUIRE(ui.record().find("start-over") != nullptr);
    check_clear();
    CHECK(flow::is_none(ui.tap(rig.view(), "start-over")));
    ui.frame(rig.view());
    REQUIRE(ui.record().find("end-yes") != nullptr);
    check_clear();
  }
}
