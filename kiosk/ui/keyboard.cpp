#include "kiosk/ui/keyboard.hpp"

#include "kiosk/input/hangul.hpp"
#include "kiosk/input/vietnamese.hpp"
#include "kiosk/ui/caret.hpp"
#include "kiosk/ui/keyboard_layouts.hpp"
#include "kiosk/ui/messages.hpp"
#include "kiosk/ui/text_field.hpp"
#include "kiosk/ui/widgets.hpp"
#include "sync/model/utf8.hpp"

namespace fk::ui {
namespace {

constexpr float kKeyHeightPx = 94.0f;  // at 1080p: above the ~90 px touch-target floor
constexpr float kKeyGapPx = 6.0f;

bool has_shift(const KeyboardLayer& layer) {
  for (const KeyRow& row : layer.rows) {
    for (const KeySpec& key : row.keys) {
      if (key.action == KeyAction::Shift) return true;
    }
  }
  return false;
}

// The text after a character key of a layer with this composer.
std::string type_with(Composer composer, const std::string& text, const std::string& key) {
  switch (composer) {
    case Composer::Plain:
      return text + key;
    case Composer::Vietnamese:
      return input::vietnamese::type_letter(text, key);
    case Composer::Hangul:
      return input::hangul::type_key(text, key);
  }
  return text + key;
}

// `before` (the text before the caret) after Delete: one jamo off a Hangul syllable, else the last character
// with any marks on it (the alef of a lam-alef goes alone, as it was typed).
std::string delete_with(Composer composer, std::string before) {
  if (composer == Composer::Hangul) return input::hangul::delete_back(std::move(before));
  std::size_t start = before.size();
  char32_t removed = 0;
  do {
    while (start > 0 && model::is_continuation_byte(static_cast<unsigned char>(before[start - 1]))) --start;
    if (start > 0) --start;
    removed = model::utf8_decode_at(before, start);
  } while (start > 0 && caret::is_mark(removed));
  before.resize(start);
  return before;
}

std::string layer_key_id(const KeyboardLayout& layout, const KeySpec& key) {
  if (layout.layers.size() == 2) return "key-layer";
  return "key-layer-" + layout.layers[static_cast<std::size_t>(key.layer)].name;
}

}  // namespace

float keyboard_height(const Theme& theme) {
  return theme.px(kKeyHeightPx) * kKeyboardRows + theme.px(kKeyGapPx) * (kKeyboardRows - 1);
}

std::optional<std::string> draw_keyboard(Canvas& canvas, UiState& state, const std::string& language,
                                         const std::string& text, int max_length, ImVec2 pos, float width) {
  const bool rtl =
      reads_right_to_left(canvas, text);  // before the guard: the text's direction, not the keys'
  ScopedNoMirror guard(canvas);           // keys keep their physical places in a mirrored (Arabic) screen
  const KeyboardLayout& layout = keyboard_layout(language);
  if (state.layer < 0 || state.layer >= static_cast<int>(layout.layers.size())) state.layer = 0;
  const KeyboardLayer& layer = layout.layers[static_cast<std::size_t>(state.layer)];
  const bool shift = state.shift && has_shift(layer);

  const Theme& theme = canvas.theme;
  const float gap = theme.px(kKeyGapPx);
  const float key_h = theme.px(kKeyHeightPx);
  const auto columns = static_cast<float>(layer.columns);
  const float key_w = (width - gap * (columns - 1)) / columns;
  std::optional<std::string> edited;

  // Keys edit the text before the caret (`before`) and leave the rest as it is, so composition (Hangul
  // syllables, Vietnamese tones) works on what precedes the caret exactly as at the end of the text.
  const std::size_t caret = caret::clamp(text, state.caret);
  const std::size_t split = caret::byte_offset(text, caret);
  const std::string before = text.substr(0, split);
  const std::string after = text.substr(split);
  // Keeps an edit of `before` unless it grows the text past its bound; an edit that changes nothing is no
  // edit. The caret follows the edit.
  auto accept = [&](const std::string& result) {
    if (result == before) return false;
    const std::size_t length = model::utf8_length(result) + model::utf8_length(after);
    if (length > static_cast<std::size_t>(max_length) && length > model::utf8_length(text)) return false;
    edited = result + after;
    // After what was typed; a letter that joins the one after it (a lam before an alef) takes the caret past
    // the pair, never inside it.
    std::size_t at = caret::length(result);
    while (!caret::is_stop(*edited, at)) ++at;
    state.caret = at;
    if (after.empty()) state.caret.reset();  // at the end: stays with the end as the text grows
    return true;
  };
  // ◀ ▶ move by one character in the text's reading direction.
  auto move = [&](bool left) {
    const bool forward = left == rtl;
    const std::size_t to = forward ? caret::next(text, caret) : caret::previous(text, caret);
    state.caret = to;
    if (to >= caret::length(text)) state.caret.reset();
  };

  ImFont* label_font = canvas.fonts.body;  // every label as large as the body text (names of keys too)
  for (std::size_t r = 0; r < layer.rows.size(); ++r) {
    const KeyRow& row = layer.rows[r];
    float column = row.indent;
    for (const KeySpec& key : row.keys) {
      const ImVec2 at(pos.x + column * (key_w + gap), pos.y + static_cast<float>(r) * (key_h + gap));
      const ImVec2 size(key_w * key.units + gap * (key.units - 1), key_h);
      column += key.units;
      switch (key.action) {
        case KeyAction::Type: {
          const std::string& typed = shift ? key.shifted : key.text;
          if (button(canvas, "key-" + typed, typed, at, size, ButtonStyle::Secondary, false, label_font) &&
              accept(type_with(layer.composer, before, typed))) {
            state.shift = false;  // one capital, like a phone keyboard
          }
          break;
        }
        case KeyAction::Tone:
          if (button(canvas, std::string("key-tone-") + input::vietnamese::tone_name(key.tone), key.text, at,
                     size, ButtonStyle::Secondary, false, label_font)) {
            accept(input::vietnamese::apply_tone(before, key.tone));
          }
          break;
        case KeyAction::Shift:
          if (button(canvas, "key-shift", canvas.tr(msg::kKeyShift), at, size, ButtonStyle::Secondary,
                     state.shift, label_font)) {
            state.shift = !state.shift;
          }
          break;
        case KeyAction::Delete:
          if (button(canvas, "key-delete", canvas.tr(msg::kKeyDelete), at, size, ButtonStyle::Secondary,
                     false, label_font) &&
              !before.empty()) {
            accept(delete_with(layer.composer, before));
          }
          break;
        case KeyAction::Space:
          if (button(canvas, "key-space", canvas.tr(msg::kKeySpace), at, size, ButtonStyle::Secondary, false,
                     label_font)) {
            accept(before + " ");
          }
          break;
        case KeyAction::Layer:
          if (button(canvas, layer_key_id(layout, key),
                     layout.layers[static_cast<std::size_t>(key.layer)].label, at, size,
                     ButtonStyle::Secondary, false, label_font)) {
            state.layer = key.layer;
            state.shift = false;
          }
          break;
        case KeyAction::Left:
        case KeyAction::Right: {
          const bool left = key.action == KeyAction::Left;
          if (button(canvas, left ? "key-left" : "key-right", key.text, at, size, ButtonStyle::Secondary,
                     false, label_font)) {
            move(left);
          }
          break;
        }
      }
    }
  }
  return edited;
}

}  // namespace fk::ui

namespace fk::ui {
namespace {

void append_characters(const KeyboardLayout& layout, std::string& out) {
  bool vietnamese = false;
  bool hangul = false;
  for (const KeyboardLayer& layer : layout.layers) {
    out += layer.label;
    vietnamese = vietnamese || layer.composer == Composer::Vietnamese;
    hangul = hangul || layer.composer == Composer::Hangul;
    for (const KeyRow& row : layer.rows) {
      for (const KeySpec& key : row.keys) out.append(key.text).append(key.shifted);
    }
  }
  if (vietnamese) out += input::vietnamese::vowel_forms();
  if (hangul) out += input::hangul::compound_vowel_jamo();
}

}  // namespace

std::string keyboard_characters() {
  std::string all;
  for (const KeyboardLayout* layout : all_keyboard_layouts()) append_characters(*layout, all);
  return all;
}

std::string keyboard_characters(const std::string& language) {
  std::string all;
  append_characters(keyboard_layout(language), all);
  return all;
}

}  // namespace fk::ui
