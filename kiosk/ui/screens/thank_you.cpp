// Shown only after the response's COMMIT returned: the resident's answer is on disk.
#include "kiosk/ui/messages.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/widgets.hpp"

namespace fk::ui {

flow::Intent draw_thank_you(Canvas& canvas, const ScreenView&) {
  const Theme& t = canvas.theme;
  begin_screen(canvas, "thank_you", t.dim_background);
  flow::Intent intent;
  const float width = canvas.size.x - 2 * t.margin();
  float y = canvas.size.y * 0.28f;
  y += text_block(canvas, canvas.fonts.title, canvas.tr(msg::kThankYou), ImVec2(t.margin(), y), width,
                  t.on_dim);
  y += t.gap();
  y += text_block(canvas, canvas.fonts.body, canvas.tr(msg::kSaved), ImVec2(t.margin(), y), width, t.on_dim);
  y += t.gap() * 3;
  const ImVec2 size(t.px(420.0f), t.px(120.0f));
  if (button(canvas, "done", canvas.tr(msg::kDone), ImVec2((canvas.size.x - size.x) / 2, y), size,
             ButtonStyle::Primary)) {
    intent = flow::Finish{};
  }
  end_screen();
  return intent;
}

}  // namespace fk::ui
