// The drawing surface every screen gets: theme, fonts, the display size, the visit's language, and a record of
// what was drawn (touch targets and texts) that tests and the automation hook read back.
#pragma once

#include <imgui.h>

#include <set>
#include <string>
#include <vector>

#include "kiosk/i18n/catalog.hpp"
#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/messages.hpp"
#include "kiosk/ui/theme.hpp"

namespace fk::ui {

struct TouchTarget {
  std::string id;     // stable, e.g. "rating-4", "key-a", "next"
  std::string label;  // the text shown on it
  ImVec2 min, max;    // screen pixels
  bool selected = false;
  float height() const { return max.y - min.y; }
  ImVec2 center() const { return {(min.x + max.x) / 2, (min.y + max.y) / 2}; }
};

// A piece of text as drawn (one line of it) and the box it must stay inside: a button's rectangle for its
// label, the text box for a typed note's lines, the column (to the screen's bottom) for a free text block.
struct TextRect {
  std::string text;  // the line, in logical order
  ImVec2 min, max;   // its drawn bounds: the glyphs' advance widths by the font's line height
  ImVec2 box_min, box_max;
  bool inside(float slack) const {
    return min.x >= box_min.x - slack && min.y >= box_min.y - slack && max.x <= box_max.x + slack &&
           max.y <= box_max.y + slack;
  }
};

struct FrameRecord {
  std::string screen;
  std::vector<TouchTarget> targets;
  std::vector<std::string> texts;  // every string drawn (logical order, before reordering), in drawing order
  std::vector<TextRect> text_rects;   // every line of text drawn, with its box
  std::set<char32_t> missing_glyphs;  // characters drawn without a glyph in the atlas (should stay empty)
  const TouchTarget* find(const std::string& id) const;
};

struct Canvas {
  const Theme& theme;
  const Fonts& fonts;
  ImVec2 size;
  FrameRecord& record;
  ImDrawList* draw = nullptr;              // set by begin_screen
  const i18n::Catalog* catalog = nullptr;  // the visit's language; null shows English
  bool rtl = false;     // the language is written right to left: paragraphs start at the right edge
  bool mirror = false;  // the layout mirrors: widgets flip their x positions (see mirrored_x)

  // The UI message in the visit's language.
  const char* tr(const char* msgid) const { return catalog ? catalog->text(msgid) : msgid; }
  // printf-style formatting of a translated message with integer arguments.
  std::string format(const char* msgid, int a) const;
  std::string format(const char* msgid, int a, int b) const;
  // A message with plural forms: the form is chosen by `n`, then `args` are formatted into it.
  std::string format(const PluralMessage& message, long n, int a) const;
  std::string format(const PluralMessage& message, long n, int a, int b) const;
  // Where a box laid out from the left at `left` with `width` lands on screen (flipped when mirrored).
  float mirrored_x(float left, float width) const { return mirror ? size.x - left - width : left; }
};

// Sets the canvas up for `language`: its catalog, and right-to-left text and a mirrored layout for Arabic.
void set_language(Canvas& canvas, const i18n::Catalogs& catalogs, const std::string& language);

// Lays out left to right for its lifetime, whatever the language (the keyboard keeps its physical layout).
class ScopedNoMirror {
 public:
  explicit ScopedNoMirror(Canvas& canvas) : canvas_(canvas), was_(canvas.mirror) { canvas.mirror = false; }
  ~ScopedNoMirror() { canvas_.mirror = was_; }
  ScopedNoMirror(const ScopedNoMirror&) = delete;
  ScopedNoMirror& operator=(const ScopedNoMirror&) = delete;

 private:
  Canvas& canvas_;
  bool was_;
};

}  // namespace fk::ui
