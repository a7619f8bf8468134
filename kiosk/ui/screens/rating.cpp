// Five faces, each with its word label, so the scale reads without relying on colour. A tap answers and
// moves on, unless it came too quickly to have been read (the flow then keeps it selected until Next).
#include <algorithm>

#include "kiosk/ui/messages.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/widgets.hpp"

namespace fk::ui {
namespace {

// Soft fills from red to green behind a dark outline: the face and the word carry the meaning.
constexpr ImU32 kFaceFill[5] = {IM_COL32(0xFE, 0xCA, 0xCA, 0xFF), IM_COL32(0xFE, 0xD7, 0xAA, 0xFF),
                                IM_COL32(0xFE, 0xF0, 0x8A, 0xFF), IM_COL32(0xD9, 0xF9, 0x9D, 0xFF),
                                IM_COL32(0x86, 0xEF, 0xAC, 0xFF)};

}  // namespace

flow::Intent draw_rating(Canvas& canvas, const ScreenView& view, Body body) {
  const Theme& t = canvas.theme;
  flow::Intent intent;
  const int chosen =
      view.answer && std::holds_alternative<int>(*view.answer) ? std::get<int>(*view.answer) : 0;
  const float gap = t.gap();
  const float cell_w = (body.size.x - gap * 4) / 5;
  const float cell_h = std::min(body.size.y, t.px(380.0f));
  const float top = body.pos.y + (body.size.y - cell_h) / 2;
  for (int i = 0; i < 5; ++i) {
    const int rating = i + 1;
    const ImVec2 pos(body.pos.x + static_cast<float>(i) * (cell_w + gap), top);
    // A survey's own labels in the visit's language; the kiosk's translated words for the default ones.
    const std::string label = view.question->default_labels ? canvas.tr(kDefaultRatingLabels[i])
                                                            : view.question->labels[i].get(view.language);
    if (button(canvas, "rating-" + std::to_string(rating), "", pos, ImVec2(cell_w, cell_h),
               ButtonStyle::Choice, chosen == rating)) {
      intent = flow::SetAnswer{rating, true};
    }
    canvas.record.targets.back().label = label;
    const float radius = std::min(cell_w * 0.36f, cell_h * 0.27f);
    const ImVec2 centre(pos.x + cell_w / 2, pos.y + t.px(28.0f) + radius);
    // The scale runs in the reading direction: worst on the right when the layout mirrors.
    const ImVec2 shown(canvas.mirrored_x(centre.x, 0.0f), centre.y);
    rating_face(canvas.draw, shown, radius, rating, t.text, kFaceFill[i]);
    text_block(canvas, canvas.fonts.body, label, ImVec2(pos.x + t.px(8.0f), centre.y + radius + t.px(20.0f)),
               cell_w - t.px(16.0f), chosen == rating ? t.on_primary : t.text);
  }
  return intent;
}

}  // namespace fk::ui
