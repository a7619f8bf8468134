// Starting an event: its name (typed on the on-screen keyboard), the survey it uses, and an optional end
// time today (HH:MM). The staff desk refuses an empty name or an end time in the past, changing nothing.
#include <algorithm>

#include "kiosk/ui/keyboard.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/screens/staff_widgets.hpp"
#include "kiosk/ui/widgets.hpp"

namespace fk::ui {
namespace {

constexpr int kEventNameMaxChars = 60;          // what fits the field; the desk also bounds the bytes
constexpr int kEndTimeMaxChars = 5;             // "HH:MM"
constexpr float kEventSurveyMinWidth = 300.0f;  // a survey button, at 1080p: "lobby v12" in the small font

bool field(Canvas& canvas, const std::string& id, const std::string& caption, const std::string& text,
           bool focused, ImVec2 pos, ImVec2 size) {
  const Theme& t = canvas.theme;
  const bool tapped = button(canvas, id, "", pos, size, ButtonStyle::Choice, focused);
  const std::string shown = text.empty() ? caption : text + (focused ? "|" : "");
  text_block(canvas, canvas.fonts.body, shown,
             ImVec2(pos.x + t.px(20.0f), pos.y + (size.y - canvas.fonts.body->FontSize) / 2),
             size.x - t.px(40.0f), focused ? t.on_primary : (text.empty() ? t.text_muted : t.text),
             Align::Left);
  return tapped;
}

}  // namespace

StaffIntent draw_start_event(Canvas& canvas, const StaffView& view, UiState& state) {
  const Theme& t = canvas.theme;
  StaffIntent intent;
  float y = staff_layout::heading(canvas, "staff_event", "Start event", "staff-back", "Back", intent,
                                  staff_intent::Open{StaffScreen::Home});
  const float width = canvas.size.x - 2 * t.margin();
  const float h = t.min_target_height();
  const float name_w = width * 0.62f;
  if (field(canvas, "event-name-field", "Event name", view.event_name_input, view.focused_field == 0,
            ImVec2(t.margin(), y), ImVec2(name_w, h))) {
    intent = staff_intent::Focus{0};
  }
  if (field(canvas, "event-end-field", "Ends at HH:MM (optional)", view.end_time_input,
            view.focused_field == 1, ImVec2(t.margin() + name_w + t.gap(), y),
            ImVec2(width - name_w - t.gap(), h))) {
    intent = staff_intent::Focus{1};
  }
  y += h + t.px(16.0f);

  // The event's survey, then Start.
  const float start_w = t.px(360.0f);
  const float surveys_w = width - start_w - t.gap();
  // As many survey buttons as fit at a finger's width (kEventSurveyMinWidth); when there are more, the last
  // slot turns the page.
  const float gap = t.px(12.0f);
  const auto fit =
      static_cast<std::size_t>(std::max(1.0f, (surveys_w + gap) / (t.px(kEventSurveyMinWidth) + gap)));
  const staff_layout::Page page = staff_layout::page_of(view.surveys.size(), fit, state.page);
  const auto slots =
      static_cast<float>(std::max<std::size_t>(1, page.last - page.first + (page.more ? 1 : 0)));
  const float each = std::min(t.px(420.0f), (surveys_w - gap * (slots - 1)) / slots);
  float x = t.margin();
  for (std::size_t i = page.first; i < page.last; ++i, x += each + gap) {
    const SurveyChoice& s = view.surveys[i];
    if (button(canvas, "event-survey-" + s.id, s.id + " v" + std::to_string(s.version), ImVec2(x, y),
               ImVec2(each, h), ButtonStyle::Choice, s.id == view.chosen_survey, canvas.fonts.small)) {
      intent = staff_intent::PickEventSurvey{s.id};
    }
  }
  if (page.more && button(canvas, "event-survey-more", page.label, ImVec2(x, y), ImVec2(each, h),
                          ButtonStyle::Secondary, false, canvas.fonts.small)) {
    staff_layout::next_page(view.surveys.size(), fit, state.page);
  }
  if (button(canvas, "event-start", "Start event", ImVec2(t.margin() + width - start_w, y),
             ImVec2(start_w, h), ButtonStyle::Primary)) {
    intent = staff_intent::StartEvent{};
  }
  y += h + t.px(8.0f);
  if (!view.form_error.empty()) staff_layout::line(canvas, view.form_error, t.margin(), y, width);

  const float keyboard_y = canvas.size.y - keyboard_height(t) - t.px(16.0f);
  ScopedNoMirror keep(canvas);
  const bool name = view.focused_field == 0;
  if (auto edited = draw_keyboard(canvas, state, "en", name ? view.event_name_input : view.end_time_input,
                                  name ? kEventNameMaxChars : kEndTimeMaxChars,
                                  ImVec2(t.margin(), keyboard_y), width)) {
    if (name)
      intent = staff_intent::EditName{*edited};
    else
      intent = staff_intent::EditEndTime{*edited};
  }
  end_screen();
  return intent;
}

}  // namespace fk::ui
