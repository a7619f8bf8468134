// What a resident sees when the kiosk cannot store answers: no error detail (that goes to the log).
#include "kiosk/ui/messages.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/widgets.hpp"

namespace fk::ui {

flow::Intent draw_unavailable(Canvas& canvas, const ScreenView&) {
  const Theme& t = canvas.theme;
  begin_screen(canvas, "unavailable", t.dim_background);
  const float width = canvas.size.x - 2 * t.margin();
  float y = canvas.size.y * 0.34f;
  y += text_block(canvas, canvas.fonts.title, canvas.tr(msg::kUnavailable), ImVec2(t.margin(), y), width,
                  t.on_dim);
  y += t.gap();
  text_block(canvas, canvas.fonts.body, canvas.tr(msg::kAskFrontDesk), ImVec2(t.margin(), y), width,
             t.on_dim);
  end_screen();
  return {};
}

}  // namespace fk::ui
