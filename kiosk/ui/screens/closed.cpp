// Outside opening hours: a dim screen that says when the kiosk opens. A touch wakes it for a while: brighter,
// with where to get help and where complaints go. No visit can start from it.
#include <cstdio>

#include "kiosk/ui/messages.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/widgets.hpp"

namespace fk::ui {
namespace {

// Asleep: near-black, with grey text (#9CA3AF on #05080F is about 8:1) so a lobby at night is not lit up.
constexpr ImU32 kAsleepBackground = IM_COL32(0x05, 0x08, 0x0F, 0xFF);
constexpr ImU32 kAsleepText = IM_COL32(0x9C, 0xA3, 0xAF, 0xFF);

std::string opens_line(const Canvas& canvas, const ClosedView& closed) {
  if (!closed.opens_weekday) return {};
  char time[8];
  std::snprintf(time, sizeof time, "%02d:%02d", closed.opens_minute / 60 % 100, closed.opens_minute % 60);
  const char* day = canvas.tr(kWeekdays[*closed.opens_weekday % 7]);
  char line[512];
  std::snprintf(line, sizeof line, canvas.tr(msg::kOpensAt), day, time);
  return line;
}

}  // namespace

KioskRequest draw_closed(Canvas& canvas, const ScreenView& view) {
  const Theme& t = canvas.theme;
  const ClosedView& closed = *view.closed;
  const ImU32 ink = closed.awake ? t.on_dim : kAsleepText;
  begin_screen(canvas, closed.awake ? "closed_awake" : "closed",
               closed.awake ? t.dim_background : kAsleepBackground);
  // The whole screen is one target: any touch wakes it (or keeps it awake).
  ImGui::SetCursorScreenPos(ImVec2(0, 0));
  const bool touched = ImGui::InvisibleButton("##wake", canvas.size);
  canvas.record.targets.push_back({"wake", "", ImVec2(0, 0), canvas.size, false});

  const float width = canvas.size.x - 2 * t.margin();
  float y = canvas.size.y * (closed.awake ? 0.18f : 0.36f);
  y += text_block(canvas, canvas.fonts.title, canvas.tr(msg::kClosed), ImVec2(t.margin(), y), width, ink);
  y += t.gap();
  const std::string opens = opens_line(canvas, closed);
  if (!opens.empty()) y += text_block(canvas, canvas.fonts.title, opens, ImVec2(t.margin(), y), width, ink);
  if (closed.awake) {
    y += t.gap() * 3;
    y += text_block(canvas, canvas.fonts.body, help_text(canvas, view), ImVec2(t.margin(), y), width, ink);
    y += t.gap();
    y += text_block(canvas, canvas.fonts.body, canvas.tr(msg::kEmergencyCall), ImVec2(t.margin(), y), width,
                    ink);
    y += t.gap() * 2;
    text_block(canvas, canvas.fonts.small,
               std::string(canvas.tr(msg::kNotForComplaints)) + " " + complaints_text(canvas, view),
               ImVec2(t.margin(), y), width, ink);
  }
  end_screen();
  return touched ? KioskRequest::Wake : KioskRequest::None;
}

}  // namespace fk::ui
