// The on-screen keyboard, tapped headless on the thank-you note.
#include <catch2/catch.hpp>

#include "ui_test_support.hpp"

using namespace fk;
using namespace fk::test;

namespace {

// Puts the flow on the thank-you note.
void to_note(FlowRig& rig) {
  rig.flow.apply(flow::StartVisit{}, rig.now);
  for (int i = 0; i < 4; ++i) rig.flow.apply(flow::Next{}, rig.now);
  rig.flow.apply(flow::SetAnswer{true, true}, rig.now);
  REQUIRE(rig.view().question->id == "thanks_note");
}

std::string typed(const flow::Intent& intent) {
  const auto* set = std::get_if<flow::SetAnswer>(&intent);
  REQUIRE(set != nullptr);
  return std::get<std::string>(set->value);
}

// Taps a key and feeds the result back into the flow, as the app does.
std::string press(HeadlessUi& ui, FlowRig& rig, const std::string& key) {
  const auto intent = ui.tap(rig.view(), key);
  if (flow::is_none(intent)) return "";
  rig.flow.apply(intent, rig.now);
  return typed(intent);
}

}  // namespace

TEST_CASE("typing a note: shift gives one capital, space, delete") {
  HeadlessUi ui;
  FlowRig rig;
  to_note(rig);
  ui.frame(rig.view());
  for (const char* key : {"key-q", "key-a", "key-1", "key-space", "key-delete", "key-shift", "key-,", "key-."}) {
    INFO(key);
    const auto* t = ui.record().find(key);
    REQUIRE(t != nullptr);
    CHECK(t->height() >= 90.0f);
  }
  press(ui, rig, "key-shift");
  CHECK(press(ui, rig, "key-T") == "T");
  CHECK(press(ui, rig, "key-y") == "Ty");  // shift released itself
  press(ui, rig, "key-space");
  CHECK(press(ui, rig, "key-1") == "Ty 1");
  CHECK(press(ui, rig, "key-delete") == "Ty ");
}

TEST_CASE("the accent layer types Spanish and French letters; delete removes a whole character") {
  HeadlessUi ui;
  FlowRig rig;
  to_note(rig);
  ui.frame(rig.view());
  press(ui, rig, "key-layer");
  CHECK(press(ui, rig, "key-ñ") == "ñ");
  press(ui, rig, "key-shift");
  CHECK(press(ui, rig, "key-É") == "ñÉ");
  CHECK(press(ui, rig, "key-ç") == "ñÉç");
  CHECK(press(ui, rig, "key-delete") == "ñÉ");  // two bytes gone, not one
  press(ui, rig, "key-layer");
  CHECK(press(ui, rig, "key-a") == "ñÉa");
}

TEST_CASE("the note stops at its length bound") {
  HeadlessUi ui;
  FlowRig rig;
  to_note(rig);
  rig.flow.apply(flow::SetAnswer{std::string(500, 'x'), false}, rig.now);
  ui.frame(rig.view());
  CHECK(flow::is_none(ui.tap(rig.view(), "key-a")));
  const auto intent = ui.tap(rig.view(), "key-delete");
  CHECK(typed(intent).size() == 499);
}
