// The report of an event: how many answers this kiosk collected, how many the centre confirmed, how many
// are still pending — and quarantined ones apart. "All N confirmed" only when nothing is pending or
// quarantined. It is drawn again whenever the uploader publishes, so it follows the confirmations.
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/screens/staff_widgets.hpp"
#include "kiosk/ui/widgets.hpp"

namespace fk::ui {

std::string event_report_summary(const EventCounts& c) {
  if (c.collected > 0 && c.pending == 0 && c.quarantined == 0) {
    return "All " + std::to_string(c.collected) + " confirmed";
  }
  return std::to_string(c.collected) + " collected, " + std::to_string(c.confirmed) +
         " confirmed by the centre, " + std::to_string(c.pending) + " still pending";
}

StaffIntent draw_event_report(Canvas& canvas, const StaffView& view) {
  const Theme& t = canvas.theme;
  StaffIntent intent;
  float y = staff_layout::heading(canvas, "event_report", "Event report: " + view.report_event, "staff-back",
                                  "Back", intent, staff_intent::Open{StaffScreen::Home});
  const float width = canvas.size.x - 2 * t.margin();
  y += text_block(canvas, canvas.fonts.title, event_report_summary(view.report), ImVec2(t.margin(), y), width,
                  t.text, Align::Left) +
       t.gap();
  if (view.report.quarantined > 0) {
    y += staff_layout::line(canvas,
                            std::to_string(view.report.quarantined) +
                                " quarantined: refused by the centre (see `feedback-kiosk status`)",
                            t.margin(), y, width) +
         t.gap();
  }
  if (view.report.pending > 0) {
    y += staff_layout::line(canvas,
                            "Pending answers are kept on this kiosk and sent when the centre can be reached.",
                            t.margin(), y, width, true) +
         t.gap();
  }
  const ImVec2 size(t.px(400.0f), t.min_target_height());
  if (button(canvas, "report-sync", "Sync now", ImVec2(t.margin(), y), size, ButtonStyle::Primary)) {
    intent = staff_intent::SyncNow{};
  }
  end_screen();
  return intent;
}

}  // namespace fk::ui
