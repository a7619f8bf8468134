// What a screen needs to draw itself, taken from the flow once per frame. Screens read this and return
// intents; they never change the flow or anything else.
#pragma once

#include <optional>
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

// Outside opening hours the kiosk shows its closed screen instead of the visit's.
struct ClosedView {
  bool awake = false;                // touched a moment ago: brighter, with the help and complaints texts
  std::optional<int> opens_weekday;  // 0 = Sunday; none when the schedule never opens
  int opens_minute = 0;              // local minutes after midnight
};

struct ScreenView {
  flow::Screen screen = flow::Screen::Attract;
  const model::SurveyDefinition* survey = nullptr;
  std::string language = "en";
  const model::Question* question = nullptr;
  const model::AnswerValue* answer = nullptr;  // null when not answered yet
  flow::Progress progress;
  bool is_last = false;
  bool send_ready = false;   // on the last question: "Send" works now (else it is shown as not ready yet)
  bool asking_end = false;   // the footer asks "End this visit now?" after "Start over"
  flow::VisitEnding ending;  // on the thank-you screen: a note was sent, the overall rating was low
  int seconds_left = 0;
  SyncMark sync = SyncMark::None;
  long long sync_pending = 0;
  // Around the visit (the app fills these; make_view leaves them empty). Department texts in this
  // language; empty shows the catalog's default text.
  std::string help_text;
  std::string complaints_text;
  std::string note_readers_text;     // who reads a thank-you note (the note and employee screens, thank you)
  bool help_open = false;            // the "Need help now?" overlay covers the screen
  std::optional<ClosedView> closed;  // outside opening hours
};

ScreenView make_view(const flow::VisitFlow& flow, flow::TimePoint now);

// What a tap asked of the kiosk around the visit rather than of the visit itself.
enum class KioskRequest { None, OpenHelp, CloseHelp, Wake };

// State that belongs to the UI only (never stored): the keyboard's Shift and layer, the text box's caret and
// scroll.
struct UiState {
  KioskRequest request = KioskRequest::None;  // set by the frame just drawn; the app reads it
  bool shift = false;  // the next character key types its shifted form, then this clears
  int layer = 0;       // the keyboard layer shown: an index into the language's layout (0: its main letters)
  // The text box's caret, in code points from the start of the text (see caret.hpp); none: at the end, where
  // it stays as the text grows. And the first line the box shows (-1: the last ones), scrolled with the caret.
  std::optional<std::size_t> caret;
  int first_line = -1;
  int page = 0;  // the page of a staff list too long for one screen (reset when the staff screen changes)
  int page_screen = -1;      // the staff screen `page` belongs to
  bool confirm_end = false;  // "still there?" asks "End this visit now?" (its end control was tapped once)
};

}  // namespace fk::ui
