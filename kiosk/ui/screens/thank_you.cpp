// Shown only after the response's COMMIT returned: the resident's answer is on disk. After a thank-you note
// it says again who reads it; after a low overall rating it says where complaints go, and stays longer so
// that can be read (the flow's complaints_duration).
#include "kiosk/ui/messages.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/widgets.hpp"

namespace fk::ui {

std::string note_readers_text(const Canvas& canvas, const ScreenView& view) {
  return view.note_readers_text.empty() ? std::string(canvas.tr(msg::kNoteReaders)) : view.note_readers_text;
}

flow::Intent draw_thank_you(Canvas& canvas, const ScreenView& view) {
  const Theme& t = canvas.theme;
  begin_screen(canvas, "thank_you", t.dim_background);
  flow::Intent intent;
  const float width = canvas.size.x - 2 * t.margin();
  // More to read moves the thanks up, so the Done button stays on screen.
  const bool more = view.ending.note || view.ending.low_rating;
  float y = canvas.size.y * (more ? 0.16f : 0.28f);
  y += text_block(canvas, canvas.fonts.title, canvas.tr(msg::kThankYou), ImVec2(t.margin(), y), width,
                  t.on_dim);
  y += t.gap();
  y += text_block(canvas, canvas.fonts.body, canvas.tr(msg::kSaved), ImVec2(t.margin(), y), width, t.on_dim);
  if (view.ending.note) {
    y += t.gap();
    y += text_block(canvas, canvas.fonts.body, note_readers_text(canvas, view), ImVec2(t.margin(), y), width,
                    t.on_dim);
  }
  if (view.ending.low_rating) {
    y += t.gap() * 2;
    y += text_block(canvas, canvas.fonts.body, complaints_text(canvas, view), ImVec2(t.margin(), y), width,
                    t.on_dim);
  }
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
