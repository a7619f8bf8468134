#include "kiosk/ui/widgets.hpp"

#include <imgui_internal.h>  // ImTextCharFromUtf8

#include <algorithm>
#include <vector>

#include "kiosk/ui/bidi.hpp"
#include "sync/model/utf8.hpp"

namespace fk::ui {
namespace {

float width_of(ImFont* font, std::string_view visual_text) {
  return font
      ->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, visual_text.data(),
                      visual_text.data() + visual_text.size())
      .x;
}

std::vector<std::string> wrap_lines(ImFont* font, const std::string& text, float width) {
  std::vector<std::string> lines;
  for (const LineRange& r : wrap_ranges(font, text, width))
    lines.push_back(text.substr(r.begin, r.end - r.begin));
  return lines;
}

// Draws `text` wrapped to `width` from `pos` (screen coordinates), recording each line's bounds against `box`.
float draw_lines(Canvas& canvas, ImFont* font, const std::string& text, ImVec2 pos, float width, ImU32 colour,
                 Align align, ImVec2 box_min, ImVec2 box_max) {
  if (canvas.rtl && align != Align::Center) align = align == Align::Left ? Align::Right : Align::Left;
  const bidi::Base base = canvas.rtl ? bidi::Base::Rtl : bidi::Base::Auto;
  float y = pos.y;
  for (const std::string& line : wrap_lines(font, text, width)) {
    const std::string shown = bidi::visual(line, base);
    const float w = width_of(font, shown);
    float x = pos.x;
    if (align == Align::Center) x += (width - w) / 2;
    if (align == Align::Right) x += width - w;
    canvas.draw->AddText(font, font->FontSize, ImVec2(x, y), colour, shown.c_str(),
                         shown.c_str() + shown.size());
    note_missing_glyphs(canvas, font, shown);
    canvas.record.text_rects.push_back(
        {line, ImVec2(x, y), ImVec2(x + w, y + font->FontSize), box_min, box_max});
    y += font->FontSize;
  }
  canvas.record.texts.push_back(text);
  return y - pos.y;
}

}  // namespace

std::vector<LineRange> wrap_ranges(ImFont* font, const std::string& text, float width) {
  std::vector<LineRange> lines;
  if (text.empty()) return lines;
  auto fits = [&](std::size_t begin, std::size_t end) {
    const std::string_view line(text.data() + begin, end - begin);
    return width_of(font, bidi::has_rtl(line) ? bidi::visual(line, bidi::Base::Auto) : std::string(line)) <=
           width;
  };
  auto next_char = [&](std::size_t i) {
    ++i;
    while (i < text.size() && model::is_continuation_byte(static_cast<unsigned char>(text[i]))) ++i;
    return i;
  };
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t stop = text.find('\n', start);
    if (stop == std::string::npos) stop = text.size();
    // Lines of the paragraph [start, stop): as many whole words as fit; the spaces after the last one hang.
    std::size_t begin = start;
    do {
      std::size_t end = begin;     // drawn up to here
      std::size_t cursor = begin;  // the next word starts here
      while (cursor < stop) {
        const std::size_t word_end = std::min(text.find(' ', cursor), stop);
        if (word_end > cursor && !fits(begin, word_end)) {
          if (end == begin && cursor == begin) {
            // A single word wider than the line: as many characters as fit (at least one).
            std::size_t cut = next_char(begin);
            while (cut < word_end && fits(begin, next_char(cut))) cut = next_char(cut);
            end = cursor = cut;
          } else if (end == begin) {
            end = cursor;  // leading spaces, then a word too wide for what they leave: the word starts over
          }
          break;
        }
        end = word_end;
        cursor = word_end;
        while (cursor < stop && text[cursor] == ' ') ++cursor;
      }
      lines.push_back({begin, end, cursor >= stop ? std::min(stop + 1, text.size()) : cursor});
      begin = cursor;
    } while (begin < stop);
    start = stop + 1;
  }
  return lines;
}

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
  pos.x = canvas.mirrored_x(pos.x, size.x);
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
  if (style == ButtonStyle::Choice && selected && size.y >= theme.px(120.0f)) {
    // A check mark, so a chosen answer does not rely on colour alone (a short button, such as a language,
    // has no room for one beside its label: its thick outline says it instead).
    const float r = theme.px(26.0f);
    // In the reading direction's far corner: top right, or top left when the layout mirrors.
    const float cx = canvas.mirror ? pos.x + r + theme.px(12.0f) : max.x - r - theme.px(12.0f);
    const ImVec2 c(cx, pos.y + r + theme.px(12.0f));
    canvas.draw->AddCircleFilled(c, r, theme.on_primary, 24);
    const ImVec2 tick[3] = {ImVec2(c.x - r * 0.5f, c.y), ImVec2(c.x - r * 0.12f, c.y + r * 0.4f),
                            ImVec2(c.x + r * 0.5f, c.y - r * 0.4f)};
    canvas.draw->AddPolyline(tick, 3, theme.primary, 0, theme.px(6.0f));
  }
  if (!label.empty()) {
    ImFont* f = font ? font : canvas.fonts.button;
    const float pad = theme.px(16.0f);
    const float h = text_height(f, label, size.x - 2 * pad);
    // The label is placed in screen coordinates already (pos is mirrored above).
    draw_lines(canvas, f, label, ImVec2(pos.x + pad, pos.y + (size.y - h) / 2), size.x - 2 * pad, ink,
               Align::Center, pos, max);
  }
  canvas.record.targets.push_back({id, label, pos, max, selected});
  return clicked;
}

float text_height(ImFont* font, const std::string& text, float width) {
  return static_cast<float>(wrap_lines(font, text, width).size()) * font->FontSize;
}

float text_block(Canvas& canvas, ImFont* font, const std::string& text, ImVec2 pos, float width, ImU32 colour,
                 Align align) {
  pos.x = canvas.mirrored_x(pos.x, width);
  return draw_lines(canvas, font, text, pos, width, colour, align, pos, ImVec2(pos.x + width, canvas.size.y));
}

void note_missing_glyphs(Canvas& canvas, ImFont* font, std::string_view shown) {
  const char* s = shown.data();
  const char* end = s + shown.size();
  while (s < end) {
    unsigned int c = 0;
    const int n = ImTextCharFromUtf8(&c, s, end);
    if (n <= 0) break;
    s += n;
    if (c >= 0x20 && font->FindGlyphNoFallback(static_cast<ImWchar>(c)) == nullptr) {
      canvas.record.missing_glyphs.insert(static_cast<char32_t>(c));
    }
  }
}

void progress_bar(Canvas& canvas, ImVec2 pos, ImVec2 size, int position, int total) {
  const float r = size.y / 2;
  const ImVec2 track(canvas.mirrored_x(pos.x, size.x), pos.y);
  canvas.draw->AddRectFilled(track, ImVec2(track.x + size.x, pos.y + size.y), canvas.theme.progress_track, r);
  if (total <= 0) return;
  const float done = std::max(size.x * static_cast<float>(position) / static_cast<float>(total), size.y);
  // Progress runs in the reading direction: from the right edge when the layout mirrors.
  const float from = canvas.mirror ? canvas.mirrored_x(pos.x, size.x) + size.x - done : pos.x;
  canvas.draw->AddRectFilled(ImVec2(from, pos.y), ImVec2(from + done, pos.y + size.y), canvas.theme.primary,
                             r);
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
    case SyncMark::Delivered:
      canvas.draw->AddCircleFilled(c, r, ink, 16);
      break;
    case SyncMark::Pending:
    case SyncMark::Offline:
      canvas.draw->AddCircle(c, r, ink, 16, t.px(2.5f));
      break;
    case SyncMark::Attention:
      canvas.draw->AddRectFilled(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), ink);
      break;
    case SyncMark::None:
      break;
  }
  if (view.sync_pending > 0 && view.sync != SyncMark::Delivered) {
    const std::string n = std::to_string(view.sync_pending);
    const float w = canvas.fonts.small->CalcTextSizeA(canvas.fonts.small->FontSize, FLT_MAX, 0, n.c_str()).x;
    canvas.draw->AddText(canvas.fonts.small, canvas.fonts.small->FontSize,
                         ImVec2(c.x - r - t.px(8.0f) - w, c.y - canvas.fonts.small->FontSize / 2), ink,
                         n.c_str());
  }
}

}  // namespace fk::ui
