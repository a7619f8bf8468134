// Staff choose the survey the kiosk runs (from SurveySource::available()); it starts at the next visit.
#include <algorithm>

#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/screens/staff_widgets.hpp"
#include "kiosk/ui/widgets.hpp"

namespace fk::ui {

StaffIntent draw_staff_survey(Canvas& canvas, const StaffView& view, UiState& state) {
  const Theme& t = canvas.theme;
  StaffIntent intent;
  float y = staff_layout::heading(canvas, "staff_survey", "Choose survey", "staff-back", "Back", intent,
                                  staff_intent::Open{StaffScreen::Home});
  const ImVec2 size(canvas.size.x - 2 * t.margin(), t.min_target_height());
  const float step = size.y + t.px(16.0f);
  // As many rows as the screen holds; when the surveys need more, the last row turns the page.
  const auto fit =
      static_cast<std::size_t>(std::max(1.0f, (canvas.size.y - t.margin() - y + t.px(16.0f)) / step));
  const staff_layout::Page page = staff_layout::page_of(view.surveys.size(), fit, state.page);
  for (std::size_t i = page.first; i < page.last; ++i) {
    const SurveyChoice& s = view.surveys[i];
    const std::string label = s.title + "  (" + s.id + " v" + std::to_string(s.version) + ")";
    if (button(canvas, "survey-" + s.id, label, ImVec2(t.margin(), y), size, ButtonStyle::Choice,
               s.id == view.survey_id)) {
      intent = staff_intent::ChooseSurvey{s.id};
    }
    y += step;
  }
  if (page.more &&
      button(canvas, "survey-more", page.label, ImVec2(t.margin(), y), size, ButtonStyle::Secondary)) {
    staff_layout::next_page(view.surveys.size(), fit, state.page);
  }
  end_screen();
  return intent;
}

}  // namespace fk::ui
