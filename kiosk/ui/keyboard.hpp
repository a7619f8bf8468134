// The on-screen keyboard for notes and names, one layout per script (see keyboard_layouts.hpp): Latin with
// an accent layer (en, es, fr; zh types pinyin), Vietnamese with tone keys, Arabic, and Korean 2-set jamo
// that compose into syllables.
//
// Touch-target ids:
//   key-<what it types>  character keys, as shown with the current Shift: "key-a", "key-T", "key-1", "key-,",
//                        "key-ñ", "key-ă", "key-ㅎ", "key-ㅃ", "key-ع", "key-لا"
//   key-shift, key-delete, key-space
//   key-left, key-right  ◀ ▶: move the caret one character left / right as the text reads (in Arabic, ◀ moves
//                        on to the next character)
//   key-tone-sac, key-tone-huyen, key-tone-hoi, key-tone-nga, key-tone-nang   (Vietnamese)
//   key-layer            the layer key of a layout with two layers (Latin: letters/accents; Korean:
//                        hangul/latin), which shows the other one
//   key-layer-<name>     the layer keys of a layout with more (Arabic: key-layer-arabic, key-layer-symbols,
//                        key-layer-latin), named after the layer they show
#pragma once

#include <optional>
#include <string>

#include "kiosk/ui/canvas.hpp"
#include "kiosk/ui/view_model.hpp"

namespace fk::ui {

// Height the keyboard needs at this theme; the same for every layout.
float keyboard_height(const Theme& theme);

// Draws the keyboard for the visit `language` in the rectangle, left to right whatever the language; returns
// the edited text when a key changed it. Keys type, compose and delete at the caret, `state.caret` (none: the
// end of the text), and move it along. Never grows `text` beyond `max_length` code points (a key that changes
// a character in place, like a tone or a Hangul final, still works on a full text).
std::optional<std::string> draw_keyboard(Canvas& canvas, UiState& state, const std::string& language,
                                         const std::string& text, int max_length, ImVec2 pos, float width);

}  // namespace fk::ui

namespace fk::ui {
// For the font atlas: every character a key of any layout types or shows (layer labels included), every
// Vietnamese vowel a tone key can make, and the lone compound vowels Korean jamo can make. Not the 11,172
// Hangul syllables: the app adds the ones typed on demand.
std::string keyboard_characters();
// The same for one visit language's layout.
std::string keyboard_characters(const std::string& language);
}  // namespace fk::ui
