// Right-to-left text for drawing: Dear ImGui draws code points left to right, one glyph each, so Arabic must be
// put in visual order and shaped (joined letter forms, the lam-alef ligature) before it is drawn. FriBidi does
// both (Unicode bidi algorithm + Arabic joining and shaping).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fk::ui::bidi {

// The paragraph's base direction: Rtl for an Arabic UI, Auto for a left-to-right UI (a paragraph that starts
// with an Arabic letter, say a typed note, still runs right to left).
enum class Base { Ltr, Rtl, Auto };

// True when `text` holds any character of a right-to-left script (Hebrew, Arabic, …).
bool has_rtl(std::string_view utf8);

// One line (no newline) as drawn from left to right: reordered by the bidi algorithm, Arabic letters replaced by
// their presentation forms, and the U+FEFF the lam-alef ligature leaves behind removed. Left-to-right text
// with a left-to-right base comes back unchanged.
std::string visual(std::string_view logical_line, Base base);

// A line as drawn, and where each of its logical code points went: what a caret needs.
struct VisualLine {
  std::string text;           // as visual() draws it
  std::vector<int> glyph_of;  // per logical code point: the index of its glyph among text's code points (the
                              // second letter of a lam-alef ligature shares the first one's glyph)
  std::vector<bool> rtl;      // per logical code point: it lies in a right-to-left run
};
VisualLine visual_line(std::string_view logical_line, Base base);

// The direction of a paragraph from its first strong character (the Unicode rule): Rtl or Ltr (Ltr for text
// with no strong character).
Base paragraph_base(std::string_view text);

}  // namespace fk::ui::bidi
