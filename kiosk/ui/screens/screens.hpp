// One function per screen: each draws from the view-model and returns what the resident asked for.
#pragma once

#include "kiosk/flow/intent.hpp"
#include "kiosk/ui/canvas.hpp"
#include "kiosk/ui/screens/staff_view.hpp"
#include "kiosk/ui/view_model.hpp"

namespace fk::ui {

// The area between a question's header and its footer.
struct Body {
  ImVec2 pos;
  ImVec2 size;
};

flow::Intent draw_attract(Canvas& canvas, const ScreenView& view);
flow::Intent draw_question(Canvas& canvas, const ScreenView& view, UiState& state);
flow::Intent draw_still_there(Canvas& canvas, const ScreenView& view, UiState& state);
flow::Intent draw_thank_you(Canvas& canvas, const ScreenView& view);
flow::Intent draw_unavailable(Canvas& canvas, const ScreenView& view);

// Around the visit (help.cpp, closed.cpp): they ask the kiosk, not the flow, for something.
// The "Need help now?" control, top right on every resident screen (never mirrored: the top-left corner is
// the staff's); true when tapped.
bool draw_help_control(Canvas& canvas);
// Where that control begins on screen: layouts keep their top-right corner clear of it.
float help_control_left(const Canvas& canvas);
float help_control_bottom(const Canvas& canvas);
// What to do when someone needs help, over the visit (which is held, not ended); CloseHelp when closed.
KioskRequest draw_help(Canvas& canvas, const ScreenView& view);
// Outside opening hours: dim, "Closed" and when it opens; a touch wakes it (Wake).
KioskRequest draw_closed(Canvas& canvas, const ScreenView& view);
// The department's text in the view's language, else the catalog default in that language.
std::string help_text(const Canvas& canvas, const ScreenView& view);
std::string complaints_text(const Canvas& canvas, const ScreenView& view);
// Who reads a thank-you note: the department's text in the view's language, else the catalog default.
std::string note_readers_text(const Canvas& canvas, const ScreenView& view);

// The bodies of a question screen, by kind.
flow::Intent draw_rating(Canvas& canvas, const ScreenView& view, Body body);
flow::Intent draw_yes_no(Canvas& canvas, const ScreenView& view, Body body);
flow::Intent draw_choices(Canvas& canvas, const ScreenView& view, Body body);
flow::Intent draw_text_entry(Canvas& canvas, const ScreenView& view, UiState& state, Body body);

// Draws whichever screen the view is on.
flow::Intent draw_screen(Canvas& canvas, const ScreenView& view, UiState& state);

// The staff screens (English only), reached by the hidden corner press and the PIN.
StaffIntent draw_pin_pad(Canvas& canvas, const StaffView& view);
StaffIntent draw_staff_home(Canvas& canvas, const StaffView& view);
StaffIntent draw_staff_survey(Canvas& canvas, const StaffView& view, UiState& state);
StaffIntent draw_start_event(Canvas& canvas, const StaffView& view, UiState& state);
StaffIntent draw_event_report(Canvas& canvas, const StaffView& view);
StaffIntent draw_staff_language(Canvas& canvas, const StaffView& view);
StaffIntent draw_confirm_leave(Canvas& canvas, const StaffView& view);
// Draws whichever staff screen the view is on.
StaffIntent draw_staff_screen(Canvas& canvas, const StaffView& view, UiState& state);
// "All N confirmed" when nothing is pending or quarantined and N > 0, else "N collected, M confirmed by the
// centre, K still pending".
std::string event_report_summary(const EventCounts& counts);

}  // namespace fk::ui
