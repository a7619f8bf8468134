// What a screen needs to draw itself, taken from the flow once per frame. Screens read this and return
// intents; they never change the flow or anything else.
#pragma once

#include <string>

#include "kiosk/flow/visit_flow.hpp"

namespace fk::ui {

struct ScreenView {
  flow::Screen screen = flow::Screen::Attract;
  const model::SurveyDefinition* survey = nullptr;
  std::string language = "en";
  const model::Question* question = nullptr;
  const model::AnswerValue* answer = nullptr;  // null when not answered yet
  flow::Progress progress;
  bool is_last = false;
  int seconds_left = 0;
};

ScreenView make_view(const flow::VisitFlow& flow, flow::TimePoint now);

// State that belongs to the UI only (never stored): keyboard layers.
struct UiState {
  bool shift = false;
  bool accents = false;
};

}  // namespace fk::ui
