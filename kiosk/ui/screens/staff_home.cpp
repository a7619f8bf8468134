// The staff screen: this kiosk's identity and sync state, and what staff can do (sync, survey, event,
// language, leave kiosk mode).
#include <string>

#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/screens/staff_widgets.hpp"
#include "kiosk/ui/widgets.hpp"

namespace fk::ui {
namespace {

std::string or_dash(const std::string& s) {
  return s.empty() ? "-" : s;
}

}  // namespace

StaffIntent draw_staff_home(Canvas& canvas, const StaffView& view) {
  const Theme& t = canvas.theme;
  StaffIntent intent;
  float y =
      staff_layout::heading(canvas, "staff", "Staff", "staff-lock", "Lock", intent, staff_intent::Cancel{});
  const float left = t.margin();
  const float col = canvas.size.x * 0.55f - left;
  float ly = y;
  auto line = [&](const std::string& text, bool muted = false) {
    ly += staff_layout::line(canvas, text, left, ly, col, muted) + t.px(6.0f);
  };
  line("Kiosk: " + or_dash(view.kiosk_id) + "    Site: " + or_dash(view.site));
  line("Survey: " + view.survey_id + " version " + std::to_string(view.survey_version));
  line("Pending: " + std::to_string(view.pending) + "    Uploaded: " + std::to_string(view.uploaded) +
       "    Quarantined: " + std::to_string(view.quarantined));
  line("Oldest pending: " + or_dash(view.oldest_pending));
  line("Sync: " + or_dash(view.sync_state) + "    Last successful sync: " + or_dash(view.last_sync));
  line("Last error: " + or_dash(view.last_error), true);
  line("Default language: " + view.default_language);
  if (!view.event_name.empty()) {
    line("Event: " + view.event_name + " (survey " + view.event_survey + ")" +
         (view.event_ends.empty() ? "" : ", ends at " + view.event_ends));
  } else {
    line("Event: none");
  }
  if (!view.notice.empty()) line(view.notice, true);

  const ImVec2 size(canvas.size.x - t.margin() - (left + col + t.gap()), t.min_target_height());
  const float x = left + col + t.gap();
  float by = y;
  auto action = [&](const std::string& id, const std::string& label, StaffIntent what, ButtonStyle style) {
    if (button(canvas, id, label, ImVec2(x, by), size, style)) intent = std::move(what);
    by += size.y + t.px(16.0f);
  };
  action("staff-sync", "Sync now", staff_intent::SyncNow{}, ButtonStyle::Primary);
  action("staff-survey", "Choose survey", staff_intent::Open{StaffScreen::ChooseSurvey},
         ButtonStyle::Secondary);
  if (view.event_name.empty()) {
    action("staff-event-start", "Start event", staff_intent::Open{StaffScreen::StartEvent},
           ButtonStyle::Secondary);
  } else {
    action("staff-event-end", "End event", staff_intent::EndEvent{}, ButtonStyle::Secondary);
  }
  if (!view.report_event.empty()) {
    action("staff-report", "Event report", staff_intent::Open{StaffScreen::EventReport},
           ButtonStyle::Secondary);
  }
  action("staff-language", "Default language", staff_intent::Open{StaffScreen::ChooseLanguage},
         ButtonStyle::Secondary);
  action("staff-leave", "Leave kiosk mode", staff_intent::Open{StaffScreen::ConfirmLeave},
         ButtonStyle::Secondary);
  end_screen();
  return intent;
}

}  // namespace fk::ui
