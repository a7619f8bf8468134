// Asked after a while without a touch: one large button to go on, and how long until the visit ends.
// It appears while the resident may be typing or answering, so the control that ends the visit sits where no
// key or answer was: a small "Start over" in the top band (beside "Need help now?") that asks once before it
// ends anything. "Go on" is the big button in the middle; a stray tap there only keeps the visit. The flow
// ignores every tap in the screen's first 600 ms (FlowConfig::still_there_guard).
#include <algorithm>

#include "kiosk/ui/messages.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/widgets.hpp"

namespace fk::ui {
namespace {

// The top band, in screen coordinates: right of the staff's hidden corner, left of "Need help now?".
// Returns the intent of its controls; `state.confirm_end` is set while it asks.
flow::Intent draw_end_control(Canvas& canvas, UiState& state) {
  const Theme& t = canvas.theme;
  ScopedNoMirror fixed(canvas);  // the same band in every language, like the help control beside it
  const float right = help_control_left(canvas) - t.gap();
  const float top = help_control_bottom(canvas) - t.min_target_height();
  const ImVec2 size(t.px(300.0f), t.min_target_height());
  flow::Intent intent;
  if (!state.confirm_end) {
    if (button(canvas, "start-over", canvas.tr(msg::kStartOver), ImVec2(right - size.x, top), size,
               ButtonStyle::Secondary, false, canvas.fonts.small)) {
      state.confirm_end = true;
    }
    return intent;
  }
  // Asks once: the question, then "Yes" (end) and "No" (stay), still in the top band. "No" takes the place
  // "Start over" had, so a double tap there keeps the visit.
  const ImVec2 answer(t.px(200.0f), t.min_target_height());
  const float no_x = right - answer.x;
  const float yes_x = no_x - t.gap() - answer.x;
  const float text_left = t.px(220.0f);  // clear of the staff corner
  // Beside its answers, in the body size: right-aligned on screen in every language (a right-to-left
  // language flips the alignment it is given).
  const float text_y = top + std::max(0.0f, (answer.y - canvas.fonts.body->FontSize) / 2);
  text_block(canvas, canvas.fonts.body, canvas.tr(msg::kEndVisitConfirm), ImVec2(text_left, text_y),
             std::max(0.0f, yes_x - t.gap() - text_left), t.text, canvas.rtl ? Align::Left : Align::Right);
  if (button(canvas, "end-no", canvas.tr(msg::kNo), ImVec2(no_x, top), answer, ButtonStyle::Secondary)) {
    state.confirm_end = false;
  }
  if (button(canvas, "end-yes", canvas.tr(msg::kYes), ImVec2(yes_x, top), answer, ButtonStyle::Secondary)) {
    intent = flow::EndVisit{};
  }
  return intent;
}

}  // namespace

flow::Intent draw_still_there(Canvas& canvas, const ScreenView& view, UiState& state) {
  const Theme& t = canvas.theme;
  begin_screen(canvas, "still_there", t.background);
  flow::Intent intent = draw_end_control(canvas, state);
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
  text_block(canvas, canvas.fonts.body, canvas.format(msg::kEndingIn, view.seconds_left, view.seconds_left),
             ImVec2(t.margin(), y), width, t.text_muted);
  end_screen();
  return intent;
}

}  // namespace fk::ui
