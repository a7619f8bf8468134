#include "kiosk/ui/keyboard.hpp"

#include <array>
#include <vector>

#include "kiosk/ui/messages.hpp"
#include "kiosk/ui/widgets.hpp"
#include "sync/model/utf8.hpp"

namespace fk::ui {
namespace {

constexpr float kKeyHeightPx = 94.0f;  // at 1080p: above the ~90 px touch-target floor
constexpr float kKeyGapPx = 8.0f;
constexpr int kRows = 5;
constexpr int kColumns = 10;

struct Key {
  const char* lower;
  const char* upper;
};

// Letter layer: digits, then QWERTY. The last two rows are drawn with their special keys.
const std::vector<std::vector<Key>> kLetters = {
    {{"1", "1"}, {"2", "2"}, {"3", "3"}, {"4", "4"}, {"5", "5"}, {"6", "6"}, {"7", "7"}, {"8", "8"}, {"9", "9"}, {"0", "0"}},
    {{"q", "Q"}, {"w", "W"}, {"e", "E"}, {"r", "R"}, {"t", "T"}, {"y", "Y"}, {"u", "U"}, {"i", "I"}, {"o", "O"}, {"p", "P"}},
    {{"a", "A"}, {"s", "S"}, {"d", "D"}, {"f", "F"}, {"g", "G"}, {"h", "H"}, {"j", "J"}, {"k", "K"}, {"l", "L"}, {"'", "'"}},
    {{"z", "Z"}, {"x", "X"}, {"c", "C"}, {"v", "V"}, {"b", "B"}, {"n", "N"}, {"m", "M"}},
};

// Accent layer: what Spanish and French write that QWERTY lacks, plus their punctuation.
const std::vector<std::vector<Key>> kAccents = {
    {{"á", "Á"}, {"é", "É"}, {"í", "Í"}, {"ó", "Ó"}, {"ú", "Ú"}, {"ü", "Ü"}, {"ñ", "Ñ"}, {"¿", "¿"}, {"¡", "¡"}, {"€", "€"}},
    {{"à", "À"}, {"â", "Â"}, {"ç", "Ç"}, {"è", "È"}, {"ê", "Ê"}, {"ë", "Ë"}, {"î", "Î"}, {"ï", "Ï"}, {"ô", "Ô"}, {"û", "Û"}},
    {{"ù", "Ù"}, {"ÿ", "Ÿ"}, {"œ", "Œ"}, {"æ", "Æ"}, {"«", "«"}, {"»", "»"}, {"(", "("}, {")", ")"}, {":", ":"}, {";", ";"}},
    {{"-", "-"}, {"/", "/"}, {"@", "@"}, {"&", "&"}, {"#", "#"}, {"\"", "\""}, {"%", "%"}},
};

}  // namespace

float keyboard_height(const Theme& theme) {
  return theme.px(kKeyHeightPx) * kRows + theme.px(kKeyGapPx) * (kRows - 1);
}

std::optional<std::string> draw_keyboard(Canvas& canvas, UiState& state, const std::string& text, int max_length,
                                         ImVec2 pos, float width) {
  const Theme& theme = canvas.theme;
  const float gap = theme.px(kKeyGapPx);
  const float key_h = theme.px(kKeyHeightPx);
  const float key_w = (width - gap * (kColumns - 1)) / kColumns;
  const bool full = static_cast<int>(model::utf8_length(text)) >= max_length;
  std::optional<std::string> edited;

  auto type = [&](const std::string& s) {
    if (full) return;
    edited = text + s;
    state.shift = false;  // one capital, like a phone keyboard
  };
  auto at = [&](int row, float column) {
    return ImVec2(pos.x + column * (key_w + gap), pos.y + static_cast<float>(row) * (key_h + gap));
  };
  auto key_size = [&](float units) { return ImVec2(key_w * units + gap * (units - 1), key_h); };

  const auto& layer = state.accents ? kAccents : kLetters;
  for (int row = 0; row < static_cast<int>(layer.size()); ++row) {
    // The fourth row starts after the Shift key (1.5 units wide).
    const float first = row == 3 ? 1.5f : 0.0f;
    for (int i = 0; i < static_cast<int>(layer[row].size()); ++i) {
      const std::string label = state.shift ? layer[row][i].upper : layer[row][i].lower;
      if (button(canvas, "key-" + label, label, at(row, first + static_cast<float>(i)), key_size(1),
                 ButtonStyle::Secondary, false, canvas.fonts.body)) {
        type(label);
      }
    }
  }
  if (button(canvas, "key-shift", tr(msg::kKeyShift), at(3, 0), key_size(1.5f), ButtonStyle::Secondary,
             state.shift, canvas.fonts.small)) {
    state.shift = !state.shift;
  }
  if (button(canvas, "key-delete", tr(msg::kKeyDelete), at(3, 8.5f), key_size(1.5f), ButtonStyle::Secondary,
             false, canvas.fonts.small) &&
      !text.empty()) {
    std::string shorter = text;
    model::utf8_pop_back(shorter);
    edited = shorter;
  }
  if (button(canvas, "key-layer", tr(state.accents ? msg::kKeyLetters : msg::kKeyAccents), at(4, 0),
             key_size(1.5f), ButtonStyle::Secondary, false, canvas.fonts.body)) {
    state.accents = !state.accents;
  }
  if (button(canvas, "key-space", tr(msg::kKeySpace), at(4, 1.5f), key_size(5.5f), ButtonStyle::Secondary, false,
             canvas.fonts.small)) {
    type(" ");
  }
  const std::array<const char*, 3> punctuation = {",", ".", "?"};
  for (int i = 0; i < 3; ++i) {
    if (button(canvas, std::string("key-") + punctuation[i], punctuation[i], at(4, 7.0f + static_cast<float>(i)),
               key_size(1), ButtonStyle::Secondary, false, canvas.fonts.body)) {
      type(punctuation[i]);
    }
  }
  return edited;
}

}  // namespace fk::ui

namespace fk::ui {

std::string keyboard_characters() {
  std::string all;
  for (const auto* layer : {&kLetters, &kAccents}) {
    for (const auto& row : *layer) {
      for (const Key& key : row) all.append(key.lower).append(key.upper);
    }
  }
  return all;
}

}  // namespace fk::ui
