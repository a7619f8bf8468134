// Asked after a while without a touch: one large button to go on, and how long until the visit ends.
#include "kiosk/ui/messages.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/widgets.hpp"

namespace fk::ui {

flow::Intent draw_still_there(Canvas& canvas, const ScreenView& view) {
  const Theme& t = canvas.theme;
  begin_screen(canvas, "still_there", t.background);
  flow::Intent intent;
  const float width = canvas.size.x - 2 * t.margin();
  float y = canvas.size.y * 0.22f;
  y += text_block(canvas, canvas.fonts.title, canvas.tr(msg::kStillThere), ImVec2(t.margin(), y), width,
                  t.text);
  y += t.gap() * 2;
  const ImVec2 size(std::min(width, t.px(900.0f)), t.px(180.0f));
  if (button(canvas, "continue", canvas.tr(msg::kTouchToContinue), ImVec2((canvas.size.x - size.x) / 2, y),
             size, ButtonStyle::Primary, false, canvas.fonts.title)) {
    intent = flow::StillHere{};
  }
  y += size.y + t.gap() * 2;
  y += text_block(canvas, canvas.fonts.body,
                  canvas.format(msg::kEndingIn, view.seconds_left, view.seconds_left), ImVec2(t.margin(), y),
                  width, t.text_muted);
  y += t.gap();
  const ImVec2 over(t.px(420.0f), t.px(110.0f));
  if (button(canvas, "start-over", canvas.tr(msg::kStartOver), ImVec2((canvas.size.x - over.x) / 2, y), over,
             ButtonStyle::Secondary)) {
    intent = flow::EndVisit{};
  }
  end_screen();
  return intent;
}

}  // namespace fk::ui
