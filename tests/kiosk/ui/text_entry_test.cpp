// The text box as a resident uses it: long notes in every script stay inside the box with the caret's line in
// view and the count apart; the caret moves by tap and by ◀ ▶, and keys type, compose and delete at it.
#include <catch2/catch.hpp>

#include "kiosk/ui/caret.hpp"
#include "kiosk/ui/keyboard_layouts.hpp"
#include "long_notes.hpp"
#include "ui_test_support.hpp"

using namespace fk;
using namespace fk::test;

namespace {

const char* const kLanguages[] = {"en", "es", "fr", "vi", "ar", "ko", "zh"};

void to_question(FlowRig& rig, const std::string& language, const std::string& id) {
  rig.flow.apply(flow::StartVisit{language}, rig.now);
  for (int i = 0; i < 4; ++i) rig.flow.apply(flow::Next{}, rig.now);
  rig.flow.apply(flow::SetAnswer{true, true}, rig.now);
  if (id == "employee") rig.flow.apply(flow::Next{}, rig.now);
  REQUIRE(rig.view().question->id == id);
}

void set_text(FlowRig& rig, const std::string& text) {
  rig.flow.apply(flow::SetAnswer{text, false}, rig.now);
}

std::string answer(FlowRig& rig) {
  const auto view = rig.view();
  if (view.answer == nullptr) return "";
  return std::get<std::string>(*view.answer);
}

// Taps a key and feeds an edit back into the flow, as the app does.
void press(HeadlessUi& ui, FlowRig& rig, const std::string& key) {
  INFO(key);
  const auto intent = ui.tap(rig.view(), key);
  if (!flow::is_none(intent)) rig.flow.apply(intent, rig.now);
}
void press_all(HeadlessUi& ui, FlowRig& rig, std::initializer_list<const char*> keys) {
  for (const char* key : keys) press(ui, rig, key);
}

// A finger on the screen at `at`, pressed and lifted.
void tap_at(HeadlessUi& ui, FlowRig& rig, ImVec2 at) {
  ui.frame(rig.view(), at, true);
  const auto intent = ui.frame(rig.view(), at, false);
  if (!flow::is_none(intent)) rig.flow.apply(intent, rig.now);
}

bool same(ImVec2 a, ImVec2 b) {
  return a.x == b.x && a.y == b.y;
}

// The lines drawn in the text box.
std::vector<ui::TextRect> box_lines(const HeadlessUi& ui) {
  const ui::TouchTarget* box = ui.record().find("text-box");
  REQUIRE(box != nullptr);
  std::vector<ui::TextRect> lines;
  for (const auto& r : ui.record().text_rects) {
    if (same(r.box_min, box->min) && same(r.box_max, box->max)) lines.push_back(r);
  }
  return lines;
}

bool overlap(ImVec2 a_min, ImVec2 a_max, ImVec2 b_min, ImVec2 b_max) {
  return a_min.x < b_max.x && b_min.x < a_max.x && a_min.y < b_max.y && b_min.y < a_max.y;
}

// Every text drawn lies inside its box, 1 px of rounding allowed.
void check_text_inside_boxes(const ui::FrameRecord& record) {
  REQUIRE_FALSE(record.text_rects.empty());
  for (const auto& r : record.text_rects) {
    INFO(record.screen << ": \"" << r.text << "\" at " << r.min.x << "," << r.min.y << " .. " << r.max.x
                       << "," << r.max.y << " in box " << r.box_min.x << "," << r.box_min.y << " .. "
                       << r.box_max.x << "," << r.box_max.y);
    CHECK(r.inside(1.0f));
  }
}

}  // namespace

TEST_CASE(
    "text box: a 500-character note in every language stays in its box, caret line shown, count apart") {
  for (const ImVec2 size : {ImVec2{1920, 1080}, ImVec2{1366, 768}}) {
    HeadlessUi ui(size);
    for (const char* language : kLanguages) {
      INFO(language << " at " << size.x << "x" << size.y);
      FlowRig rig;
      to_question(rig, language, "thanks_note");
      const std::string note = long_note(language);
      REQUIRE(ui::caret::length(note) == 500);
      set_text(rig, note);
      ui.state() = {};
      ui.frame(rig.view());
      check_text_inside_boxes(ui.record());
      const auto lines = box_lines(ui);
      // At 1080p the resident sees three lines of what they wrote (the line typed and two before it).
      REQUIRE(lines.size() >= (size.y >= 1080 ? 3u : 2u));
      // The caret is at the end: the last line shown is the note's last, and the caret is drawn there.
      std::string last = note;
      while (!last.empty() && last.back() == ' ') last.pop_back();
      CHECK(last.size() >= lines.back().text.size());
      CHECK(last.substr(last.size() - lines.back().text.size()) == lines.back().text);
      CHECK(std::find(ui.record().texts.begin(), ui.record().texts.end(), note + "|") !=
            ui.record().texts.end());
      // The count: below the box, above the keys, overlapping no line of the note.
      const ui::TextRect* count = nullptr;
      for (const auto& r : ui.record().text_rects) {
        if (r.text.find("500") != std::string::npos && r.box_min.y >= ui.record().find("text-box")->max.y) {
          count = &r;
        }
      }
      REQUIRE(count != nullptr);
      CHECK(count->min.y >= ui.record().find("text-box")->max.y);
      for (const auto& line : lines) CHECK_FALSE(overlap(line.min, line.max, count->min, count->max));
      for (const auto& t : ui.record().targets) {
        if (t.id.rfind("key-", 0) == 0) CHECK_FALSE(overlap(t.min, t.max, count->min, count->max));
      }
    }
  }
}

TEST_CASE("text box: an 80-character name fits the employee box in every language") {
  HeadlessUi ui;
  for (const char* language : kLanguages) {
    INFO(language);
    FlowRig rig;
    to_question(rig, language, "employee");
    set_text(rig, long_note(language, 80));
    ui.state() = {};
    ui.frame(rig.view());
    check_text_inside_boxes(ui.record());
    CHECK_FALSE(box_lines(ui).empty());
  }
}

TEST_CASE("text box: moving the caret to the start scrolls the first line back into view") {
  HeadlessUi ui;
  FlowRig rig;
  to_question(rig, "en", "thanks_note");
  const std::string note = long_note("en");
  set_text(rig, note);
  ui.frame(rig.view());
  CHECK(box_lines(ui).front().text.rfind("Officer", 0) != 0);  // scrolled: the first words are out of view
  ui.state().caret = 3;
  ui.frame(rig.view());
  CHECK(box_lines(ui).front().text.rfind("Officer", 0) == 0);
  check_text_inside_boxes(ui.record());
}

TEST_CASE("text box: a tap in the text places the caret at the nearest character boundary") {
  HeadlessUi ui;
  FlowRig rig;
  to_question(rig, "en", "thanks_note");
  set_text(rig, "hello world");
  ui.frame(rig.view());
  const auto line = box_lines(ui).at(0);
  ImFont* font = ui.fonts().body;
  const float hello = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, "hello").x;
  tap_at(ui, rig, ImVec2(line.min.x + hello + 3, (line.min.y + line.max.y) / 2));
  REQUIRE(ui.state().caret.has_value());
  CHECK(*ui.state().caret == 5);
  press(ui, rig, "key-shift");
  press(ui, rig, "key-X");
  CHECK(answer(rig) == "helloX world");
  CHECK(*ui.state().caret == 6);
  // A tap past the end of the line puts the caret at the end again.
  tap_at(ui, rig, ImVec2(ui.record().find("text-box")->max.x - 30, (line.min.y + line.max.y) / 2));
  CHECK_FALSE(ui.state().caret.has_value());
  press(ui, rig, "key-!");
  CHECK(answer(rig) == "helloX world!");
}

TEST_CASE("text box: ◀ ▶ move the caret; Delete and typing work inside the text") {
  HeadlessUi ui;
  FlowRig rig;
  to_question(rig, "en", "thanks_note");
  set_text(rig, "abc");
  ui.frame(rig.view());
  press_all(ui, rig, {"key-left", "key-left"});
  CHECK(*ui.state().caret == 1);
  press(ui, rig, "key-x");
  CHECK(answer(rig) == "axbc");
  press(ui, rig, "key-right");
  CHECK(*ui.state().caret == 3);
  press(ui, rig, "key-delete");
  CHECK(answer(rig) == "axc");
  CHECK(*ui.state().caret == 2);
  press(ui, rig, "key-space");
  CHECK(answer(rig) == "ax c");
  for (int i = 0; i < 6; ++i) press(ui, rig, "key-left");  // stops at the start
  CHECK(*ui.state().caret == 0);
  press(ui, rig, "key-delete");  // nothing before the caret
  CHECK(answer(rig) == "ax c");
  for (int i = 0; i < 6; ++i) press(ui, rig, "key-right");  // and at the end
  CHECK_FALSE(ui.state().caret.has_value());
  press(ui, rig, "key-d");
  CHECK(answer(rig) == "ax cd");
  // The drawn text shows the caret where it is.
  press(ui, rig, "key-left");
  ui.frame(rig.view());
  CHECK(std::find(ui.record().texts.begin(), ui.record().texts.end(), "ax c|d") != ui.record().texts.end());
}

TEST_CASE("text box: at the length bound, typing inside adds nothing and Delete inside still works") {
  HeadlessUi ui;
  FlowRig rig;
  to_question(rig, "en", "thanks_note");
  set_text(rig, std::string(500, 'x'));
  ui.frame(rig.view());
  press(ui, rig, "key-left");
  CHECK(flow::is_none(ui.tap(rig.view(), "key-a")));
  press(ui, rig, "key-delete");
  CHECK(answer(rig) == std::string(499, 'x'));
  CHECK(*ui.state().caret == 498);
}

TEST_CASE("text box: Hangul composes with the syllable before an inner caret") {
  HeadlessUi ui;
  FlowRig rig;
  to_question(rig, "ko", "thanks_note");
  ui.frame(rig.view());
  press_all(ui, rig, {"key-ㅎ", "key-ㅏ", "key-ㄴ", "key-ㄱ", "key-ㅜ", "key-ㄱ", "key-ㅇ", "key-ㅓ"});
  REQUIRE(answer(rig) == "한국어");
  press_all(ui, rig, {"key-left", "key-left"});
  CHECK(*ui.state().caret == 1);
  press(ui, rig, "key-ㄱ");
  CHECK(answer(rig) == "한ㄱ국어");
  press(ui, rig, "key-ㅏ");
  CHECK(answer(rig) == "한가국어");
  press(ui, rig, "key-ㅁ");
  CHECK(answer(rig) == "한감국어");
  CHECK(*ui.state().caret == 2);
  press(ui, rig, "key-delete");  // one jamo off the syllable before the caret
  CHECK(answer(rig) == "한가국어");
  CHECK(*ui.state().caret == 2);
}

TEST_CASE("text box: Vietnamese tone keys mark the syllable before an inner caret") {
  HeadlessUi ui;
  FlowRig rig;
  to_question(rig, "vi", "thanks_note");
  set_text(rig, "cam on");
  ui.frame(rig.view());
  press_all(ui, rig, {"key-left", "key-left", "key-left"});
  press(ui, rig, "key-tone-hoi");
  CHECK(answer(rig) == "cảm on");
  press_all(ui, rig, {"key-right", "key-right", "key-right", "key-ơ"});
  CHECK(answer(rig) == "cảm onơ");
}

TEST_CASE("text box: Arabic: the caret moves in logical order, ◀ reading on, never inside لا") {
  HeadlessUi ui;
  FlowRig rig;
  to_question(rig, "ar", "thanks_note");
  set_text(rig, "سلام");  // س ل ا م: the lam and the alef draw as one ligature
  ui.frame(rig.view());
  press(ui, rig, "key-right");  // right to left: ▶ goes back one character
  CHECK(*ui.state().caret == 3);
  press(ui, rig, "key-right");  // over the ligature whole
  CHECK(*ui.state().caret == 1);
  press(ui, rig, "key-left");
  CHECK(*ui.state().caret == 3);
  press(ui, rig, "key-ب");
  CHECK(answer(rig) == "سلابم");
  CHECK(*ui.state().caret == 4);
  press(ui, rig, "key-delete");
  CHECK(answer(rig) == "سلام");
  // A tap anywhere on the ligature leaves the caret on one side of it.
  ui.frame(rig.view());
  const auto line = box_lines(ui).at(0);
  for (float x = line.min.x; x <= line.max.x; x += 2.0f) {
    tap_at(ui, rig, ImVec2(x, (line.min.y + line.max.y) / 2));
    const std::size_t at = ui::caret::clamp("سلام", ui.state().caret);
    CHECK(at != 2);
  }
  // Taps from the right edge to the left edge walk the caret forward through the text.
  tap_at(ui, rig, ImVec2(line.max.x - 1, (line.min.y + line.max.y) / 2));
  CHECK(ui::caret::clamp("سلام", ui.state().caret) == 0);
  tap_at(ui, rig, ImVec2(line.min.x + 1, (line.min.y + line.max.y) / 2));
  CHECK(ui::caret::clamp("سلام", ui.state().caret) == 4);
}

TEST_CASE("keyboard: \"Thank you!\" can be typed on every Latin layer") {
  struct Layer {
    const char* language;
    std::vector<const char*> to_layer;  // layer keys to reach it
  };
  for (const Layer& l :
       {Layer{"en", {}}, Layer{"es", {}}, Layer{"fr", {}}, Layer{"zh", {}}, Layer{"en", {"key-layer"}},
        Layer{"es", {"key-layer"}}, Layer{"fr", {"key-layer"}}, Layer{"zh", {"key-layer"}}, Layer{"vi", {}},
        Layer{"ar", {"key-layer-latin"}}, Layer{"ko", {"key-layer"}}}) {
    INFO(l.language << " after " << l.to_layer.size() << " layer key(s)");
    HeadlessUi ui;
    FlowRig rig;
    to_question(rig, l.language, "thanks_note");
    ui.frame(rig.view());
    for (const char* key : l.to_layer) press(ui, rig, key);
    ui.frame(rig.view());
    const bool letters = ui.record().find("key-h") != nullptr;
    // The accent layer has no plain letters: go back to type them, and type the "!" there.
    if (letters) {
      press_all(ui, rig,
                {"key-shift", "key-T", "key-h", "key-a", "key-n", "key-k", "key-space", "key-y", "key-o",
                 "key-u", "key-!"});
      CHECK(answer(rig) == "Thank you!");
    } else {
      CHECK(ui.record().find("key-!") != nullptr);
      press(ui, rig, "key-!");
      CHECK(answer(rig) == "!");
    }
  }
}

TEST_CASE("keyboard: every key label is at least as large as the body text, in every layout and layer") {
  for (const char* language : kLanguages) {
    HeadlessUi ui;
    FlowRig rig;
    to_question(rig, language, "thanks_note");
    const ui::KeyboardLayout& layout = ui::keyboard_layout(language);
    for (int layer = 0; layer < static_cast<int>(layout.layers.size()); ++layer) {
      ui.state().layer = layer;
      ui.frame(rig.view());
      int labels = 0;
      for (const auto& t : ui.record().targets) {
        if (t.id.rfind("key-", 0) != 0) continue;
        for (const auto& r : ui.record().text_rects) {
          if (!same(r.box_min, t.min) || !same(r.box_max, t.max)) continue;
          INFO(language << " layer " << layer << " " << t.id << " label \"" << r.text << "\"");
          CHECK(r.max.y - r.min.y >= ui.fonts().body->FontSize);
          CHECK(r.inside(1.0f));
          ++labels;
        }
      }
      CHECK(labels > 30);
    }
  }
}
