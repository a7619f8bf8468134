// The attract screen: what this kiosk is for, and one large place to start.
#include "kiosk/ui/messages.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/widgets.hpp"

namespace fk::ui {

flow::Intent draw_attract(Canvas& canvas, const ScreenView& view) {
  const Theme& t = canvas.theme;
  begin_screen(canvas, "attract", t.dim_background);
  flow::Intent intent;
  const float width = canvas.size.x - 2 * t.margin();
  float y = canvas.size.y * 0.16f;
  y += text_block(canvas, canvas.fonts.title, view.survey->title.get(view.language), ImVec2(t.margin(), y), width,
                  t.on_dim);
  y += t.gap();
  const std::string& welcome = view.survey->welcome.get(view.language);
  if (!welcome.empty()) {
    y += text_block(canvas, canvas.fonts.body, welcome, ImVec2(t.margin(), y), width, t.on_dim);
  }
  y += t.gap() * 2;
  const ImVec2 start_size(std::min(width, t.px(900.0f)), t.px(180.0f));
  if (button(canvas, "start", tr(msg::kTouchToStart), ImVec2((canvas.size.x - start_size.x) / 2, y), start_size,
             ButtonStyle::Primary, false, canvas.fonts.title)) {
    intent = flow::StartVisit{view.language};
  }
  y += start_size.y + t.gap();
  text_block(canvas, canvas.fonts.body, tr(msg::kAttractPromise), ImVec2(t.margin(), y), width, t.on_dim);
  text_block(canvas, canvas.fonts.small, tr(msg::kNotForEmergencies),
             ImVec2(t.margin(), canvas.size.y - t.margin() - canvas.fonts.small->FontSize), width, t.on_dim);
  // Muted on purpose: a staff signal, not a message to residents.
  sync_mark(canvas, view, view.sync == SyncMark::Offline ? IM_COL32(0x9C, 0xA3, 0xAF, 0xFF) : t.on_dim);
  end_screen();
  return intent;
}

}  // namespace fk::ui
