// The staff PIN pad, opened by the hidden corner press: big digit keys, the entry masked, Cancel, and what
// went wrong (a wrong PIN, the lock and its seconds left, no PIN set). While the PIN is being checked (a
// worker compares it with its hash) it says so and takes no keys, Cancel included.
#include <string>

#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/screens/staff_widgets.hpp"
#include "kiosk/ui/widgets.hpp"

namespace fk::ui {

StaffIntent draw_pin_pad(Canvas& canvas, const StaffView& view) {
  const Theme& t = canvas.theme;
  StaffIntent intent;
  float y = staff_layout::heading(canvas, "pin_pad", "Staff PIN", "pin-cancel", "Cancel", intent,
                                  staff_intent::Cancel{});
  std::string masked;
  for (int i = 0; i < view.pin_digits; ++i) masked += i == 0 ? "*" : " *";
  if (masked.empty()) masked = "Enter the staff PIN";
  if (view.pin_checking) masked = "Checking the PIN...";  // ASCII dots: the atlas holds no ellipsis glyph
  y += text_block(canvas, canvas.fonts.title, masked, ImVec2(t.margin(), y), canvas.size.x - 2 * t.margin(),
                  view.pin_digits > 0 || view.pin_checking ? t.text : t.text_muted);
  const std::string message = view.locked_seconds > 0 ? "Too many wrong PINs: locked for " +
                                                            std::to_string(view.locked_seconds) + " s"
                                                      : view.pin_message;
  y += text_block(canvas, canvas.fonts.body, message.empty() ? " " : message, ImVec2(t.margin(), y),
                  canvas.size.x - 2 * t.margin(), t.text_muted) +
       t.gap();

  const ImVec2 key(t.px(240.0f), t.px(120.0f));
  const float gap = t.px(20.0f);
  const float left = (canvas.size.x - (3 * key.x + 2 * gap)) / 2;
  const char* const keys[4][3] = {{"1", "2", "3"}, {"4", "5", "6"}, {"7", "8", "9"}, {"delete", "0", "ok"}};
  const bool locked = view.locked_seconds > 0 || view.pin_checking;
  for (int row = 0; row < 4; ++row) {
    for (int col = 0; col < 3; ++col) {
      const std::string k = keys[row][col];
      const ImVec2 pos(left + static_cast<float>(col) * (key.x + gap),
                       y + static_cast<float>(row) * (key.y + gap));
      const bool digit = k.size() == 1;
      const std::string label = digit ? k : (k == "ok" ? "OK" : "Delete");
      const ButtonStyle style = k == "ok" ? ButtonStyle::Primary : ButtonStyle::Choice;
      if (button(canvas, "pin-" + k, label, pos, key, style, false, canvas.fonts.title) && !locked) {
        if (digit)
          intent = staff_intent::Digit{k[0]};
        else if (k == "ok")
          intent = staff_intent::SubmitPin{};
        else
          intent = staff_intent::DeletePin{};
      }
    }
  }
  if (locked) {
    // The keys do nothing while locked or checking: veil them so the pad looks it, not only the message line.
    const float width = 3 * key.x + 2 * gap;
    const float x = canvas.mirrored_x(left, width);
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(x, y), ImVec2(x + width, y + 4 * key.y + 3 * gap),
                                              (t.background & ~IM_COL32_A_MASK) | IM_COL32(0, 0, 0, 0xB0));
  }
  end_screen();
  if (view.pin_checking) return StaffIntent{};  // not even Cancel: the answer is a moment away
  return intent;
}

}  // namespace fk::ui
