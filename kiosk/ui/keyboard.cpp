#include "kiosk/ui/keyboard.hpp"

#include "kiosk/input/hangul.hpp"
#include "kiosk/input/vietnamese.hpp"
#include "kiosk/ui/keyboard_layouts.hpp"
#include "kiosk/ui/messages.hpp"
#include "kiosk/ui/widgets.hpp"
#include "sync/model/utf8.hpp"

namespace fk::ui {
namespace {

constexpr float kKeyHeightPx = 94.0f;  // at 1080p: above the ~90 px touch-target floor
constexpr float kKeyGapPx = 8.0f;

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

std::string delete_with(Composer composer, std::string text) {
  if (composer == Composer::Hangul) return input::hangul::delete_back(std::move(text));
  model::utf8_pop_back(text);
  return text;
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
  ScopedNoMirror guard(canvas);  // keys keep their physical places in a mirrored (Arabic) screen
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

  // Keeps an edit unless it grows the text past its bound; an edit that changes nothing is no edit.
  auto accept = [&](std::string result) {
    if (result == text) return false;
    const std::size_t length = model::utf8_length(result);
    if (length > static_cast<std::size_t>(max_length) && length > model::utf8_length(text)) return false;
    edited = std::move(result);
    return true;
  };

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
          if (button(canvas, "key-" + typed, typed, at, size, ButtonStyle::Secondary, false,
                     canvas.fonts.body) &&
              accept(type_with(layer.composer, text, typed))) {
            state.shift = false;  // one capital, like a phone keyboard
          }
          break;
        }
        case KeyAction::Tone:
          if (button(canvas, std::string("key-tone-") + input::vietnamese::tone_name(key.tone), key.text, at,
                     size, ButtonStyle::Secondary, false, canvas.fonts.body)) {
            accept(input::vietnamese::apply_tone(text, key.tone));
          }
          break;
        case KeyAction::Shift:
          if (button(canvas, "key-shift", canvas.tr(msg::kKeyShift), at, size, ButtonStyle::Secondary,
                     state.shift, canvas.fonts.small)) {
            state.shift = !state.shift;
          }
          break;
        case KeyAction::Delete:
          if (button(canvas, "key-delete", canvas.tr(msg::kKeyDelete), at, size, ButtonStyle::Secondary,
                     false, canvas.fonts.small) &&
              !text.empty()) {
            accept(delete_with(layer.composer, text));
          }
          break;
        case KeyAction::Space:
          if (button(canvas, "key-space", canvas.tr(msg::kKeySpace), at, size, ButtonStyle::Secondary, false,
                     canvas.fonts.small)) {
            accept(text + " ");
          }
          break;
        case KeyAction::Layer:
          if (button(canvas, layer_key_id(layout, key),
                     layout.layers[static_cast<std::size_t>(key.layer)].label, at, size,
                     ButtonStyle::Secondary, false, canvas.fonts.body)) {
            state.layer = key.layer;
            state.shift = false;
          }
          break;
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
