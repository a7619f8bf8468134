// Right-to-left text for drawing: Dear ImGui draws code points left to right, one glyph each, so Arabic must be
// put in visual order and shaped (joined letter forms, the lam-alef ligature) before it is drawn. FriBidi does
// both (Unicode bidi algorithm + Arabic joining and shaping).
#pragma once

#include <string>
#include <string_view>

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

}  // namespace fk::ui::bidi
