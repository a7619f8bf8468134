// What a screen needs to draw itself, taken from the flow once per frame. Screens read this and return
// intents; they never change the flow or anything else.
#pragma once

#include <string>

#include "kiosk/flow/visit_flow.hpp"

namespace fk::ui {

// How the kiosk's sync looks to staff: a small mark in a corner of the attract screen. Residents see no
// error text; the shape, not only the colour, tells staff what is going on.
enum class SyncMark {
  None,       // not enrolled: nothing shown
  Delivered,  // everything confirmed by the centre: a filled dot
  Pending,    // answers waiting to go (a ring and their count)
  Offline,    // the centre cannot be reached: a ring and the count, muted
  Attention,  // refused token or quarantined answers: a square, staff should look at `status`
};

struct ScreenView {
  flow::Screen screen = flow::Screen::Attract;
  const model::SurveyDefinition* survey = nullptr;
  std::string language = "en";
  const model::Question* question = nullptr;
  const model::AnswerValue* answer = nullptr;  // null when not answered yet
  flow::Progress progress;
  bool is_last = false;
  int seconds_left = 0;
  SyncMark sync = SyncMark::None;
  long long sync_pending = 0;
};

ScreenView make_view(const flow::VisitFlow& flow, flow::TimePoint now);

// State that belongs to the UI only (never stored): the keyboard's Shift and layer.
struct UiState {
  bool shift = false;  // the next character key types its shifted form, then this clears
  int layer = 0;       // the keyboard layer shown: an index into the language's layout (0: its main letters)
};

}  // namespace fk::ui
