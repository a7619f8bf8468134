// Chooses the screen for the flow's state.
#include "kiosk/ui/screens/screens.hpp"

namespace fk::ui {

flow::Intent draw_screen(Canvas& canvas, const ScreenView& view, UiState& state) {
  canvas.record = FrameRecord{};
  state.request = KioskRequest::None;
  // Closed and help cover the visit: nothing under them can be tapped.
  if (view.closed) {
    state.request = draw_closed(canvas, view);
    return {};
  }
  if (view.help_open) {
    state.request = draw_help(canvas, view);
    return {};
  }
  // "End this visit?" is asked on one showing of "still there?" only; the next one asks afresh.
  if (view.screen != flow::Screen::StillThere) state.confirm_end = false;
  flow::Intent intent;
  switch (view.screen) {
    case flow::Screen::Attract:
      intent = draw_attract(canvas, view);
      break;
    case flow::Screen::Question:
      intent = draw_question(canvas, view, state);
      break;
    case flow::Screen::StillThere:
      intent = draw_still_there(canvas, view, state);
      break;
    case flow::Screen::ThankYou:
      intent = draw_thank_you(canvas, view);
      break;
    case flow::Screen::Unavailable:
      return draw_unavailable(canvas, view);  // it says to ask at the desk
  }
  if (draw_help_control(canvas)) state.request = KioskRequest::OpenHelp;
  return intent;
}

}  // namespace fk::ui
