// Yes or no: two large buttons; a tap answers and moves on (one too quick to have been read only selects).
#include <algorithm>

#include "kiosk/ui/messages.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/widgets.hpp"

namespace fk::ui {

flow::Intent draw_yes_no(Canvas& canvas, const ScreenView& view, Body body) {
  const Theme& t = canvas.theme;
  flow::Intent intent;
  const bool* chosen = view.answer ? std::get_if<bool>(view.answer) : nullptr;
  const ImVec2 size(std::min(t.px(520.0f), (body.size.x - t.gap()) / 2), std::min(body.size.y, t.px(200.0f)));
  const float left = body.pos.x + (body.size.x - 2 * size.x - 2 * t.gap()) / 2;
  const float top = body.pos.y + (body.size.y - size.y) / 2;
  if (button(canvas, "yes", canvas.tr(msg::kYes), ImVec2(left, top), size, ButtonStyle::Choice,
             chosen && *chosen, canvas.fonts.title)) {
    intent = flow::SetAnswer{true, true};
  }
  if (button(canvas, "no", canvas.tr(msg::kNo), ImVec2(left + size.x + 2 * t.gap(), top), size,
             ButtonStyle::Choice, chosen && !*chosen, canvas.fonts.title)) {
    intent = flow::SetAnswer{false, true};
  }
  return intent;
}

}  // namespace fk::ui
