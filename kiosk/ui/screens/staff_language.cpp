// Staff choose the attract screen's default language (kept across restarts).
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/screens/staff_widgets.hpp"
#include "kiosk/ui/widgets.hpp"

namespace fk::ui {

StaffIntent draw_staff_language(Canvas& canvas, const StaffView& view) {
  const Theme& t = canvas.theme;
  StaffIntent intent;
  float y = staff_layout::heading(canvas, "staff_language", "Default language", "staff-back", "Back", intent,
                                  staff_intent::Open{StaffScreen::Home});
  const ImVec2 size(t.px(700.0f), t.min_target_height());
  for (const auto& [tag, name] : view.languages) {
    if (button(canvas, "default-" + tag, name + "  (" + tag + ")", ImVec2(t.margin(), y), size,
               ButtonStyle::Choice, tag == view.default_language)) {
      intent = staff_intent::SetLanguage{tag};
    }
    y += size.y + t.px(12.0f);
  }
  end_screen();
  return intent;
}

}  // namespace fk::ui
