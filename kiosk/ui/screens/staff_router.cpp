// Chooses the staff screen for the staff view.
#include "kiosk/ui/screens/screens.hpp"

namespace fk::ui {

StaffIntent draw_staff_screen(Canvas& canvas, const StaffView& view, UiState& state) {
  canvas.record = FrameRecord{};
  if (state.page_screen != static_cast<int>(view.screen)) {  // each list starts on its first page
    state.page = 0;
    state.page_screen = static_cast<int>(view.screen);
  }
  switch (view.screen) {
    case StaffScreen::PinPad:
      return draw_pin_pad(canvas, view);
    case StaffScreen::Home:
      return draw_staff_home(canvas, view);
    case StaffScreen::ChooseSurvey:
      return draw_staff_survey(canvas, view, state);
    case StaffScreen::StartEvent:
      return draw_start_event(canvas, view, state);
    case StaffScreen::EventReport:
      return draw_event_report(canvas, view);
    case StaffScreen::ChooseLanguage:
      return draw_staff_language(canvas, view);
    case StaffScreen::ConfirmLeave:
      return draw_confirm_leave(canvas, view);
  }
  return {};
}

}  // namespace fk::ui
