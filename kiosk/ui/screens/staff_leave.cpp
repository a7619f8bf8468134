// Leaving kiosk mode asks once more: the app then exits with code 0 and the system's session decides what
// comes next.
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/screens/staff_widgets.hpp"
#include "kiosk/ui/widgets.hpp"

namespace fk::ui {

StaffIntent draw_confirm_leave(Canvas& canvas, const StaffView&) {
  const Theme& t = canvas.theme;
  StaffIntent intent;
  float y = staff_layout::heading(canvas, "staff_leave", "Leave kiosk mode?", "staff-back", "Back", intent,
                                  staff_intent::Open{StaffScreen::Home});
  y += staff_layout::line(canvas, "The kiosk app will close. Answers not yet uploaded stay on this kiosk.",
                          t.margin(), y, canvas.size.x - 2 * t.margin()) +
       t.gap();
  const ImVec2 size(t.px(600.0f), t.min_target_height());
  if (button(canvas, "leave-confirm", "Leave kiosk mode", ImVec2(t.margin(), y), size,
             ButtonStyle::Primary)) {
    intent = staff_intent::Leave{};
  }
  end_screen();
  return intent;
}

}  // namespace fk::ui
