// "Need help now?": a large control on every resident screen, and what it opens: where to get help (the
// front desk, 911 in an emergency) and where complaints go. It holds the visit; it never ends or changes it.
#include <algorithm>

#include "kiosk/ui/messages.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/widgets.hpp"

namespace fk::ui {
namespace {

float control_top(const Theme& t) {
  return t.px(20.0f);
}
float control_right(const Canvas& canvas) {
  return canvas.size.x - canvas.theme.px(24.0f);
}

std::string in_language(const Canvas& canvas, const std::string& configured, const char* msgid) {
  return configured.empty() ? canvas.tr(msgid) : configured;
}

}  // namespace

std::string help_text(const Canvas& canvas, const ScreenView& view) {
  return in_language(canvas, view.help_text, msg::kHelpDefault);
}

std::string complaints_text(const Canvas& canvas, const ScreenView& view) {
  return in_language(canvas, view.complaints_text, msg::kComplaintsDefault);
}

float help_control_left(const Canvas& canvas) {
  const Theme& t = canvas.theme;
  ImFont* f = canvas.fonts.button;
  const float label = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0.0f, canvas.tr(msg::kNeedHelp)).x;
  const float width = std::clamp(label + t.px(72.0f), t.px(300.0f), t.px(640.0f));
  return control_right(canvas) - width;
}

float help_control_bottom(const Canvas& canvas) {
  return control_top(canvas.theme) + canvas.theme.min_target_height();
}

bool draw_help_control(Canvas& canvas) {
  const Theme& t = canvas.theme;
  const ImVec2 pos(help_control_left(canvas), control_top(t));
  const ImVec2 size(control_right(canvas) - pos.x, t.min_target_height());
  // Its own small window above the screen's (screens' windows never come to the front).
  ImGui::SetNextWindowPos(pos);
  ImGui::SetNextWindowSize(size);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
  ImGui::Begin("help-control", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoScrollWithMouse);
  canvas.draw = ImGui::GetWindowDrawList();
  bool tapped = false;
  {
    ScopedNoMirror fixed(canvas);  // top right in every language: the top-left corner is the staff's
    tapped = button(canvas, "help", canvas.tr(msg::kNeedHelp), pos, size, ButtonStyle::Secondary);
  }
  ImGui::End();
  ImGui::PopStyleVar(2);
  return tapped;
}

KioskRequest draw_help(Canvas& canvas, const ScreenView& view) {
  const Theme& t = canvas.theme;
  begin_screen(canvas, "help", t.background);
  const float width = std::min(canvas.size.x - 2 * t.margin(), t.px(1500.0f));
  const float left = (canvas.size.x - width) / 2;
  float y = canvas.size.y * 0.12f;
  y += text_block(canvas, canvas.fonts.title, canvas.tr(msg::kNeedHelp), ImVec2(left, y), width, t.text);
  y += t.gap() * 2;
  y += text_block(canvas, canvas.fonts.body, help_text(canvas, view), ImVec2(left, y), width, t.text);
  y += t.gap() * 2;
  y += text_block(canvas, canvas.fonts.title, canvas.tr(msg::kEmergencyCall), ImVec2(left, y), width, t.text);
  y += t.gap() * 2;
  y += text_block(canvas, canvas.fonts.small,
                  std::string(canvas.tr(msg::kNotForComplaints)) + " " + complaints_text(canvas, view),
                  ImVec2(left, y), width, t.text_muted);
  y += t.gap() * 2;
  const ImVec2 size(t.px(480.0f), t.px(150.0f));
  KioskRequest request = KioskRequest::None;
  if (button(canvas, "close-help", canvas.tr(msg::kClose), ImVec2((canvas.size.x - size.x) / 2, y), size,
             ButtonStyle::Primary, false, canvas.fonts.title)) {
    request = KioskRequest::CloseHelp;
  }
  end_screen();
  return request;
}

}  // namespace fk::ui
