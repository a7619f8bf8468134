// Staff choose the survey the kiosk runs (from SurveySource::available()); it starts at the next visit.
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/screens/staff_widgets.hpp"
#include "kiosk/ui/widgets.hpp"

namespace fk::ui {

StaffIntent draw_staff_survey(Canvas& canvas, const StaffView& view) {
  const Theme& t = canvas.theme;
  StaffIntent intent;
  float y = staff_layout::heading(canvas, "staff_survey", "Choose survey", "staff-back", "Back", intent,
                                  staff_intent::Open{StaffScreen::Home});
  const ImVec2 size(canvas.size.x - 2 * t.margin(), t.min_target_height());
  for (const SurveyChoice& s : view.surveys) {
    if (y + size.y > canvas.size.y - t.margin()) break;
    const std::string label = s.title + "  (" + s.id + " v" + std::to_string(s.version) + ")";
    if (button(canvas, "survey-" + s.id, label, ImVec2(t.margin(), y), size, ButtonStyle::Choice,
               s.id == view.survey_id)) {
      intent = staff_intent::ChooseSurvey{s.id};
    }
    y += size.y + t.px(16.0f);
  }
  end_screen();
  return intent;
}

}  // namespace fk::ui
