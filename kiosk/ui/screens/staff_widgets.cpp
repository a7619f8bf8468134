#include "kiosk/ui/screens/staff_widgets.hpp"

#include "kiosk/ui/widgets.hpp"

namespace fk::ui::staff_layout {

float heading(Canvas& canvas, const char* screen_name, const std::string& title, const std::string& back_id,
              const std::string& back_label, StaffIntent& intent, StaffIntent back_intent) {
  const Theme& t = canvas.theme;
  begin_screen(canvas, screen_name, t.background);
  // Clear of the top-left corner, where the hidden gesture's press may still be held.
  const float left = t.px(160.0f);
  const ImVec2 back_size(t.px(300.0f), t.min_target_height());
  text_block(canvas, canvas.fonts.title, title, ImVec2(left, t.px(40.0f)), canvas.size.x - left - back_size.x - t.margin(),
             t.text, Align::Left);
  if (button(canvas, back_id, back_label, ImVec2(canvas.size.x - t.margin() - back_size.x, t.px(32.0f)), back_size,
             ButtonStyle::Secondary)) {
    intent = back_intent;
  }
  return t.px(32.0f) + back_size.y + t.gap();
}

float line(Canvas& canvas, const std::string& text, float x, float y, float width, bool muted) {
  return text_block(canvas, canvas.fonts.body, text, ImVec2(x, y), width,
                    muted ? canvas.theme.text_muted : canvas.theme.text, Align::Left);
}

}  // namespace fk::ui::staff_layout
