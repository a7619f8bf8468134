// Chooses the screen for the flow's state.
#include "kiosk/ui/screens/screens.hpp"

namespace fk::ui {

flow::Intent draw_screen(Canvas& canvas, const ScreenView& view, UiState& state) {
  canvas.record = FrameRecord{};
  switch (view.screen) {
    case flow::Screen::Attract: return draw_attract(canvas, view);
    case flow::Screen::Question: return draw_question(canvas, view, state);
    case flow::Screen::StillThere: return draw_still_there(canvas, view);
    case flow::Screen::ThankYou: return draw_thank_you(canvas, view);
    case flow::Screen::Unavailable: return draw_unavailable(canvas, view);
  }
  return {};
}

}  // namespace fk::ui
