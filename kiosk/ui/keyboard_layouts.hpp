// The on-screen keyboard's layouts as data, one per script: which keys each layer has, in which rows, and
// what each key types or does. keyboard.cpp draws them; the texts here are script samples, not messages.
#pragma once

#include <string>
#include <vector>

#include "kiosk/input/vietnamese.hpp"

namespace fk::ui {

enum class KeyAction {
  Type,    // types its text (or its shifted text)
  Tone,    // puts a Vietnamese tone on the syllable before the caret
  Shift,   // the next letter in upper case (on the Korean keyboard: ㅃ ㅉ ㄸ ㄲ ㅆ ㅒ ㅖ)
  Delete,  // removes the character before the caret (or the last jamo of the Hangul syllable before it)
  Space,
  Layer,  // shows another layer of the same layout
  Left,   // moves the caret one character to the left as the text reads (◀)
  Right,  // and to the right (▶)
};

// How a layer's Type keys and its Delete key edit the text.
enum class Composer {
  Plain,       // insert at the caret; delete the character before it
  Vietnamese,  // insert, moving the tone of the syllable before the caret (input::vietnamese::type_letter)
  Hangul,      // jamo compose into the syllable before the caret; Delete takes one jamo off (input::hangul)
};

struct KeySpec {
  KeyAction action = KeyAction::Type;
  std::string text;     // Type: what it types and shows; Tone, Left, Right: what it shows
  std::string shifted;  // Type: the same with Shift on (equal to `text` when Shift changes nothing)
  float units = 1.0f;   // width, in key widths
  input::vietnamese::Tone tone = input::vietnamese::Tone::None;  // Tone keys
  int layer = 0;                                                 // Layer keys: the layer it shows
};

struct KeyRow {
  float indent = 0.0f;  // in key widths, from the left edge
  std::vector<KeySpec> keys;
};

struct KeyboardLayer {
  std::string name;   // for touch-target ids of layer keys: "letters", "accents", "arabic", "symbols", …
  std::string label;  // what a key that shows this layer reads: "abc", "àé", "한", "ع", "١٢٣"
  int columns = 10;   // key widths across the keyboard (a row fills at most this many)
  Composer composer = Composer::Plain;
  std::vector<KeyRow> rows;  // top to bottom, at most kKeyboardRows
};

struct KeyboardLayout {
  std::string name;                   // "latin", "vietnamese", "arabic", "korean"
  std::vector<KeyboardLayer> layers;  // the first is shown when a text box opens
};

inline constexpr int kKeyboardRows = 5;

// The layout for a visit language tag ("vi", "ar", "ko"; anything else gets the Latin one, which Chinese
// uses for pinyin).
const KeyboardLayout& keyboard_layout(const std::string& language);

// Every layout, each once.
std::vector<const KeyboardLayout*> all_keyboard_layouts();

}  // namespace fk::ui
