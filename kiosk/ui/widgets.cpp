#include "kiosk/ui/widgets.hpp"

#include <algorithm>
#include <vector>

namespace fk::ui {
namespace {

struct Line {
  const char* begin;
  const char* end;
};

std::vector<Line> wrap_lines(ImFont* font, const std::string& text, float width) {
  std::vector<Line> lines;
  const char* s = text.c_str();
  const char* end = s + text.size();
  while (s < end) {
    const char* newline = std::find(s, end, '\n');
    const char* stop = font->CalcWordWrapPositionA(1.0f, s, newline, width);
    if (stop == s) stop = s + 1;  // a single glyph wider than the line still advances
    if (stop > newline) stop = newline;
    const char* line_end = stop;
    while (line_end > s && line_end[-1] == ' ') --line_end;
    lines.push_back({s, line_end});
    s = stop;
    while (s < end && *s == ' ') ++s;
    if (s < end && *s == '\n') ++s;
  }
  return lines;
}

}  // namespace

const TouchTarget* FrameRecord::find(const std::string& id) const {
  for (const TouchTarget& t : targets) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

void begin_screen(Canvas& canvas, const char* screen_name, ImU32 background) {
  canvas.record.screen = screen_name;
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(canvas.size);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
  ImGui::PushStyleColor(ImGuiCol_WindowBg, background);
  ImGui::Begin(screen_name, nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
  canvas.draw = ImGui::GetWindowDrawList();
}

void end_screen() {
  ImGui::End();
  ImGui::PopStyleColor();
  ImGui::PopStyleVar(2);
}

bool button(Canvas& canvas, const std::string& id, const std::string& label, ImVec2 pos, ImVec2 size,
            ButtonStyle style, bool selected, ImFont* font) {
  const Theme& theme = canvas.theme;
  ImGui::SetCursorScreenPos(pos);
  ImGui::PushID(id.c_str());
  const bool clicked = ImGui::InvisibleButton("##target", size);
  const bool held = ImGui::IsItemActive();
  ImGui::PopID();

  ImU32 fill = theme.secondary;
  ImU32 ink = theme.text;
  if (style == ButtonStyle::Primary) {
    fill = held ? theme.primary_pressed : theme.primary;
    ink = theme.on_primary;
  } else if (style == ButtonStyle::Choice) {
    fill = selected ? theme.primary : (held ? theme.secondary_pressed : theme.background);
    ink = selected ? theme.on_primary : theme.text;
  } else if (held) {
    fill = theme.secondary_pressed;
  }
  const ImVec2 max(pos.x + size.x, pos.y + size.y);
  canvas.draw->AddRectFilled(pos, max, fill, theme.rounding());
  if (style == ButtonStyle::Choice || selected) {
    canvas.draw->AddRect(pos, max, selected ? theme.selected : theme.outline, theme.rounding(), 0,
                         theme.px(selected ? 6.0f : 3.0f));
  }
  if (style == ButtonStyle::Choice && selected) {
    // A check mark, so a chosen answer does not rely on colour alone.
    const float r = theme.px(26.0f);
    const ImVec2 c(max.x - r - theme.px(12.0f), pos.y + r + theme.px(12.0f));
    canvas.draw->AddCircleFilled(c, r, theme.on_primary, 24);
    const ImVec2 tick[3] = {ImVec2(c.x - r * 0.5f, c.y), ImVec2(c.x - r * 0.12f, c.y + r * 0.4f),
                            ImVec2(c.x + r * 0.5f, c.y - r * 0.4f)};
    canvas.draw->AddPolyline(tick, 3, theme.primary, 0, theme.px(6.0f));
  }
  if (!label.empty()) {
    ImFont* f = font ? font : canvas.fonts.button;
    const float pad = theme.px(16.0f);
    const float h = text_height(f, label, size.x - 2 * pad);
    text_block(canvas, f, label, ImVec2(pos.x + pad, pos.y + (size.y - h) / 2), size.x - 2 * pad, ink);
  }
  canvas.record.targets.push_back({id, label, pos, max, selected});
  return clicked;
}

float text_height(ImFont* font, const std::string& text, float width) {
  return static_cast<float>(wrap_lines(font, text, width).size()) * font->FontSize;
}

float text_block(Canvas& canvas, ImFont* font, const std::string& text, ImVec2 pos, float width, ImU32 colour,
                 Align align) {
  const auto lines = wrap_lines(font, text, width);
  float y = pos.y;
  for (const Line& line : lines) {
    const float w = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, line.begin, line.end).x;
    float x = pos.x;
    if (align == Align::Center) x += (width - w) / 2;
    if (align == Align::Right) x += width - w;
    canvas.draw->AddText(font, font->FontSize, ImVec2(x, y), colour, line.begin, line.end);
    y += font->FontSize;
  }
  canvas.record.texts.push_back(text);
  return y - pos.y;
}

void progress_bar(Canvas& canvas, ImVec2 pos, ImVec2 size, int position, int total) {
  const float r = size.y / 2;
  canvas.draw->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), canvas.theme.progress_track, r);
  if (total <= 0) return;
  const float done = size.x * static_cast<float>(position) / static_cast<float>(total);
  canvas.draw->AddRectFilled(pos, ImVec2(pos.x + std::max(done, size.y), pos.y + size.y), canvas.theme.primary, r);
}

void rating_face(ImDrawList* draw, ImVec2 c, float radius, int rating, ImU32 ink, ImU32 fill) {
  const float line = std::max(2.0f, radius * 0.08f);
  draw->AddCircleFilled(c, radius, fill, 48);
  draw->AddCircle(c, radius, ink, 48, line);
  const float eye_dx = radius * 0.35f;
  const float eye_y = c.y - radius * 0.22f;
  draw->AddCircleFilled(ImVec2(c.x - eye_dx, eye_y), radius * 0.09f, ink, 16);
  draw->AddCircleFilled(ImVec2(c.x + eye_dx, eye_y), radius * 0.09f, ink, 16);
  // The mouth bends from a frown (1) through a straight line (3) to a broad smile (5).
  const float curve = static_cast<float>(rating - 3) / 2.0f;
  const float half = radius * 0.45f;
  const float mouth_y = c.y + radius * 0.38f - curve * radius * 0.1f;
  ImVec2 points[17];
  for (int i = 0; i <= 16; ++i) {
    const float t = static_cast<float>(i) / 8.0f - 1.0f;  // -1 .. 1
    points[i] = ImVec2(c.x + t * half, mouth_y + curve * radius * 0.25f * (1.0f - t * t));
  }
  draw->AddPolyline(points, 17, ink, 0, line);
}

}  // namespace fk::ui

#include "kiosk/ui/view_model.hpp"

namespace fk::ui {

void sync_mark(Canvas& canvas, const ScreenView& view, ImU32 ink) {
  if (view.sync == SyncMark::None) return;
  const Theme& t = canvas.theme;
  const float r = t.px(9.0f);
  const ImVec2 c(canvas.size.x - t.px(28.0f), canvas.size.y - t.px(28.0f));
  switch (view.sync) {
    case SyncMark::Delivered: canvas.draw->AddCircleFilled(c, r, ink, 16); break;
    case SyncMark::Pending:
    case SyncMark::Offline: canvas.draw->AddCircle(c, r, ink, 16, t.px(2.5f)); break;
    case SyncMark::Attention:
      canvas.draw->AddRectFilled(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), ink);
      break;
    case SyncMark::None: break;
  }
  if (view.sync_pending > 0 && view.sync != SyncMark::Delivered) {
    const std::string n = std::to_string(view.sync_pending);
    const float w = canvas.fonts.small->CalcTextSizeA(canvas.fonts.small->FontSize, FLT_MAX, 0, n.c_str()).x;
    canvas.draw->AddText(canvas.fonts.small, canvas.fonts.small->FontSize,
                         ImVec2(c.x - r - t.px(8.0f) - w, c.y - canvas.fonts.small->FontSize / 2), ink, n.c_str());
  }
}

}  // namespace fk::ui
