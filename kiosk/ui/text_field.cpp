#include "kiosk/ui/text_field.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "kiosk/ui/bidi.hpp"
#include "kiosk/ui/caret.hpp"
#include "kiosk/ui/widgets.hpp"
#include "sync/model/utf8.hpp"

namespace fk::ui {
namespace {

// A wrapped line laid out for drawing and for the caret.
struct Line {
  std::size_t begin = 0, end = 0;  // bytes drawn (see LineRange)
  std::size_t first = 0;           // the caret stop at its start, in code points
  std::size_t shown = 0;           // code points drawn
  bidi::VisualLine visual;         // of the line with its hanging spaces, without a newline
  std::vector<float> glyph_x;      // the left edge of each visual glyph, then the right edge of the last
  float x = 0;                     // where the visual text starts
};

std::vector<Line> lay_out(const TextField& field, const std::string& text) {
  const float inner_left = field.min.x + field.pad.x;
  const float inner_right = field.max.x - field.pad.x;
  std::vector<LineRange> ranges = wrap_ranges(field.font, text, inner_right - inner_left);
  if (ranges.empty()) ranges.push_back({});
  std::vector<Line> lines;
  std::size_t first = 0;
  for (const LineRange& r : ranges) {
    Line line;
    line.begin = r.begin;
    line.end = r.end;
    line.first = first;
    std::size_t stops_end = r.next;
    if (stops_end > r.begin && text[stops_end - 1] == '\n') --stops_end;
    const std::string logical = text.substr(r.begin, stops_end - r.begin);
    line.shown = model::utf8_length(text.substr(r.begin, r.end - r.begin));
    line.visual = bidi::visual_line(logical, field.rtl ? bidi::Base::Rtl : bidi::Base::Ltr);
    float x = 0;
    for (const char32_t c : model::utf8_decode(line.visual.text)) {
      line.glyph_x.push_back(x);
      x += c < 0x10000 ? field.font->GetCharAdvance(static_cast<ImWchar>(c)) : field.font->FallbackAdvanceX;
    }
    line.glyph_x.push_back(x);
    line.x = field.rtl ? inner_right - x : inner_left;
    first += model::utf8_length(text.substr(r.begin, r.next - r.begin));
    lines.push_back(std::move(line));
  }
  return lines;
}

// The line the caret stands on: the last one starting at or before it.
std::size_t line_of(const std::vector<Line>& lines, std::size_t caret) {
  std::size_t i = 0;
  while (i + 1 < lines.size() && lines[i + 1].first <= caret) ++i;
  return i;
}

// Where the caret before the line's code point `k` stands: at the leading edge of that character's glyph (its
// left in a left-to-right run, its right in a right-to-left one); at the end of the line, the trailing edge of
// the last character.
float caret_x(const TextField& field, const Line& line, std::size_t k) {
  const std::size_t n = line.visual.glyph_of.size();
  if (n == 0) return field.rtl ? field.max.x - field.pad.x : field.min.x + field.pad.x;
  const bool end = k >= n;
  const std::size_t at = end ? n - 1 : k;
  const auto g = static_cast<std::size_t>(line.visual.glyph_of[at]);
  const bool right_edge = line.visual.rtl[at] != end;
  return line.x + line.glyph_x[right_edge ? g + 1 : g];
}

}  // namespace

bool reads_right_to_left(const Canvas& canvas, const std::string& text) {
  return canvas.rtl || bidi::paragraph_base(text) == bidi::Base::Rtl;
}

int visible_lines(const TextField& field) {
  const float inner = field.max.y - field.min.y - 2 * field.pad.y;
  return std::max(1, static_cast<int>(std::floor(inner / field.font->FontSize)));
}

std::size_t draw_text_field(Canvas& canvas, const TextField& field, const std::string& text,
                            std::size_t caret, int& first_line, std::optional<ImVec2> tap) {
  const std::vector<Line> lines = lay_out(field, text);
  const std::u32string code_points = model::utf8_decode(text);
  const int shown = visible_lines(field);
  const int count = static_cast<int>(lines.size());
  const float line_h = field.font->FontSize;
  const float top = field.min.y + field.pad.y;
  // The scroll: the caret's line in view, moving no further than that, and no empty lines below the text.
  auto scroll_to = [&](std::size_t at) {
    const int line = static_cast<int>(line_of(lines, at));
    if (first_line < 0) first_line = line - shown + 1;
    first_line = std::min(first_line, line);
    first_line = std::max(first_line, line - shown + 1);
    first_line = std::max(0, std::min(first_line, std::max(0, count - shown)));
  };
  scroll_to(caret);

  if (tap) {
    const int row = static_cast<int>(std::floor((tap->y - top) / line_h));
    const auto index = static_cast<std::size_t>(
        std::clamp(first_line + row, first_line, std::min(first_line + shown, count) - 1));
    const Line& line = lines[index];
    const std::size_t last =
        index + 1 < lines.size() ? lines[index + 1].first - 1 : code_points.size();  // its last stop
    float best = -1;
    for (std::size_t c = line.first; c <= std::max(last, line.first); ++c) {
      if (!caret::is_stop(code_points, c)) continue;
      const float distance = std::fabs(caret_x(field, line, c - line.first) - tap->x);
      if (best < 0 || distance < best) best = distance, caret = c;
    }
    scroll_to(caret);
  }

  canvas.draw->PushClipRect(field.min, field.max, true);
  const std::size_t caret_line = line_of(lines, caret);
  for (int i = first_line; i < std::min(first_line + shown, count); ++i) {
    const Line& line = lines[static_cast<std::size_t>(i)];
    const float y = top + static_cast<float>(i - first_line) * line_h;
    const std::string& visual = line.visual.text;
    canvas.draw->AddText(field.font, line_h, ImVec2(line.x, y), field.ink, visual.c_str(),
                         visual.c_str() + visual.size());
    note_missing_glyphs(canvas, field.font, visual);
    // Bounds of the glyphs drawn (hanging spaces draw nothing).
    float left = 0, right = 0;
    for (std::size_t k = 0; k < line.shown; ++k) {
      const auto g = static_cast<std::size_t>(line.visual.glyph_of[k]);
      const float l = line.x + line.glyph_x[g], r = line.x + line.glyph_x[g + 1];
      left = k == 0 ? l : std::min(left, l);
      right = k == 0 ? r : std::max(right, r);
    }
    if (line.shown > 0) {
      canvas.record.text_rects.push_back({text.substr(line.begin, line.end - line.begin), ImVec2(left, y),
                                          ImVec2(right, y + line_h), field.min, field.max});
    }
    if (static_cast<std::size_t>(i) == caret_line) {
      // Steady: a blinking caret would need a redraw timer, and an idle kiosk draws nothing.
      const float w = std::max(2.0f, std::round(line_h * 0.06f));
      const float x = std::clamp(caret_x(field, line, caret - line.first) - w / 2,
                                 field.min.x + field.pad.x / 2, field.max.x - field.pad.x / 2 - w);
      canvas.draw->AddRectFilled(ImVec2(x, y), ImVec2(x + w, y + line_h), field.ink);
    }
  }
  canvas.draw->PopClipRect();
  const std::size_t split = caret::byte_offset(text, caret);
  canvas.record.texts.push_back(text.substr(0, split) + "|" + text.substr(split));
  return caret;
}

}  // namespace fk::ui
