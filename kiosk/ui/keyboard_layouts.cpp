#include "kiosk/ui/keyboard_layouts.hpp"

#include <sstream>

namespace fk::ui {
namespace {

using input::vietnamese::Tone;

// Character keys from space-separated texts; `shifted` (same count) gives what Shift types, if it changes.
std::vector<KeySpec> chars(const std::string& texts, const std::string& shifted = "") {
  std::vector<KeySpec> keys;
  std::istringstream in(texts);
  std::istringstream in_shifted(shifted);
  std::string text;
  while (in >> text) {
    std::string upper;
    if (!(in_shifted >> upper)) upper = text;
    keys.push_back({KeyAction::Type, text, upper});
  }
  return keys;
}

KeySpec special(KeyAction action, float units) {
  return {action, "", "", units};
}
KeySpec layer_key(int layer, float units) {
  return {KeyAction::Layer, "", "", units, Tone::None, layer};
}
KeySpec tone_key(Tone tone, const char* label) {
  return {KeyAction::Tone, label, label, 1.0f, tone};
}
// ◀ ▶, which every layer ends its bottom row with: the caret moves without retyping.
std::vector<KeySpec> arrows() {
  return {{KeyAction::Left, "\u25C0", "\u25C0"}, {KeyAction::Right, "\u25B6", "\u25B6"}};
}

KeyRow row(std::vector<KeySpec> keys, float indent = 0.0f) {
  return {indent, std::move(keys)};
}

// `first`, then `middle`, then `last`: a row of character keys between two special keys.
std::vector<KeySpec> around(KeySpec first, std::vector<KeySpec> middle, KeySpec last) {
  std::vector<KeySpec> keys{std::move(first)};
  keys.insert(keys.end(), middle.begin(), middle.end());
  keys.push_back(std::move(last));
  return keys;
}
std::vector<KeySpec> operator+(std::vector<KeySpec> a, const std::vector<KeySpec>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

const char* const kDigits = "1 2 3 4 5 6 7 8 9 0";

// QWERTY with digits, 11 keys wide. `bottom_left` (layer keys) start the bottom row; Space takes what they
// leave before ", . ? !" and ◀ ▶.
constexpr int kLatinColumns = 11;
KeyboardLayer latin_letters(const std::string& name, std::vector<KeySpec> bottom_left) {
  float left = 0.0f;
  for (const KeySpec& k : bottom_left) left += k.units;
  std::vector<KeySpec> bottom = bottom_left;
  bottom.push_back(special(KeyAction::Space, static_cast<float>(kLatinColumns) - 6.0f - left));
  return {name,
          "abc",
          kLatinColumns,
          Composer::Plain,
          {
              row(chars("1 2 3 4 5 6 7 8 9 0 @")),
              row(chars("q w e r t y u i o p", "Q W E R T Y U I O P"), 0.5f),
              row(chars("a s d f g h j k l '", "A S D F G H J K L '"), 0.5f),
              row(around(special(KeyAction::Shift, 2.0f), chars("z x c v b n m", "Z X C V B N M"),
                         special(KeyAction::Delete, 2.0f))),
              row(bottom + chars(", . ? !") + arrows()),
          }};
}

// English, Spanish, French, and the fallback (Chinese types pinyin): letters, and the accents Spanish and
// French need with their punctuation.
KeyboardLayout make_latin() {
  KeyboardLayer accents{"accents",
                        "àé",
                        kLatinColumns,
                        Composer::Plain,
                        {
                            row(chars("á é í ó ú ü ñ ¿ ¡ €", "Á É Í Ó Ú Ü Ñ ¿ ¡ €"), 0.5f),
                            row(chars("à â ç è ê ë î ï ô û", "À Â Ç È Ê Ë Î Ï Ô Û"), 0.5f),
                            row(chars("ù ÿ œ æ « » ( ) : ;", "Ù Ÿ Œ Æ « » ( ) : ;"), 0.5f),
                            row(around(special(KeyAction::Shift, 2.0f), chars("- / @ & # \" %"),
                                       special(KeyAction::Delete, 2.0f))),
                            row(std::vector<KeySpec>{layer_key(0, 1.5f), special(KeyAction::Space, 3.5f)} +
                                chars(", . ? !") + arrows()),
                        }};
  return {"latin", {latin_letters("letters", {layer_key(1, 1.5f)}), std::move(accents)}};
}

// QWERTY with the letters Vietnamese adds as keys of their own and the five tones, 12 keys wide.
KeyboardLayout make_vietnamese() {
  KeyboardLayer letters{
      "letters",
      "abc",
      12,
      Composer::Vietnamese,
      {
          row(chars("1 2 3 4 5 6 7 8 9 0 - !")),
          row(chars("q w e r t y u i o p ă â", "Q W E R T Y U I O P Ă Â")),
          row(chars("a s d f g h j k l đ ê ô", "A S D F G H J K L Đ Ê Ô")),
          row(around(special(KeyAction::Shift, 1.5f), chars("z x c v b n m ơ ư", "Z X C V B N M Ơ Ư"),
                     special(KeyAction::Delete, 1.5f))),
          row(std::vector<KeySpec>{tone_key(Tone::Sac, "á"), tone_key(Tone::Huyen, "à"),
                                   tone_key(Tone::Hoi, "ả"), tone_key(Tone::Nga, "ã"),
                                   tone_key(Tone::Nang, "ạ"), special(KeyAction::Space, 2.0f)} +
              chars(", . ?") + arrows()),
      }};
  return {"vietnamese", {std::move(letters)}};
}

// The Arabic (101) layout's letters in their rows, 12 keys wide; a second layer with أ إ آ, Arabic digits and
// punctuation; and Latin letters for names.
KeyboardLayout make_arabic() {
  constexpr int kArabic = 0, kSymbols = 1, kLatin = 2;
  KeyboardLayer arabic{"arabic",
                       "ع",
                       12,
                       Composer::Plain,
                       {
                           row(chars(kDigits) + std::vector<KeySpec>{special(KeyAction::Delete, 2.0f)}),
                           row(chars("ض ص ث ق ف غ ع ه خ ح ج د")),
                           row(chars("ش س ي ب ل ا ت ن م ك ط"), 0.5f),
                           row(chars("ئ ء ؤ ر لا ى ة و ز ظ ذ"), 1.0f),
                           row(std::vector<KeySpec>{layer_key(kSymbols, 1.5f), layer_key(kLatin, 1.5f),
                                                    special(KeyAction::Space, 4.0f)} +
                               chars("، . ؟") + arrows()),
                       }};
  KeyboardLayer symbols{
      "symbols",
      "١٢٣",
      12,
      Composer::Plain,
      {
          row(chars("١ ٢ ٣ ٤ ٥ ٦ ٧ ٨ ٩ ٠") + std::vector<KeySpec>{special(KeyAction::Delete, 2.0f)}),
          row(chars("أ إ آ ، ؛ ؟ ! : « » ( )")),
          row(chars("- / @ & # ٪ % + = \" '"), 0.5f),
          row(chars("* _ $ € £"), 1.0f),
          row(std::vector<KeySpec>{layer_key(kArabic, 1.5f), layer_key(kLatin, 1.5f),
                                   special(KeyAction::Space, 4.0f)} +
              chars(", . ?") + arrows()),
      }};
  KeyboardLayer latin = latin_letters("latin", {layer_key(kArabic, 1.5f), layer_key(kSymbols, 1.5f)});
  return {"arabic", {std::move(arabic), std::move(symbols), std::move(latin)}};
}

// 2-set (dubeolsik) jamo, 10 keys wide, and Latin letters for names.
KeyboardLayout make_korean() {
  KeyboardLayer hangul{"hangul",
                       "한",
                       10,
                       Composer::Hangul,
                       {
                           row(chars(kDigits)),
                           row(chars("ㅂ ㅈ ㄷ ㄱ ㅅ ㅛ ㅕ ㅑ ㅐ ㅔ", "ㅃ ㅉ ㄸ ㄲ ㅆ ㅛ ㅕ ㅑ ㅒ ㅖ")),
                           row(chars("ㅁ ㄴ ㅇ ㄹ ㅎ ㅗ ㅓ ㅏ ㅣ"), 0.5f),
                           row(around(special(KeyAction::Shift, 1.5f), chars("ㅋ ㅌ ㅊ ㅍ ㅠ ㅜ ㅡ"),
                                      special(KeyAction::Delete, 1.5f))),
                           row(std::vector<KeySpec>{layer_key(1, 1.5f), special(KeyAction::Space, 3.5f)} +
                               chars(", . ?") + arrows()),
                       }};
  return {"korean", {std::move(hangul), latin_letters("latin", {layer_key(0, 1.5f)})}};
}

// Built once; read-only afterwards.
const KeyboardLayout& latin() {
  static const KeyboardLayout layout = make_latin();
  return layout;
}
const KeyboardLayout& vietnamese() {
  static const KeyboardLayout layout = make_vietnamese();
  return layout;
}
const KeyboardLayout& arabic() {
  static const KeyboardLayout layout = make_arabic();
  return layout;
}
const KeyboardLayout& korean() {
  static const KeyboardLayout layout = make_korean();
  return layout;
}

}  // namespace

const KeyboardLayout& keyboard_layout(const std::string& language) {
  const std::string primary = language.substr(0, language.find_first_of("-_"));  // "vi-VN" → "vi"
  if (primary == "vi") return vietnamese();
  if (primary == "ar") return arabic();
  if (primary == "ko") return korean();
  return latin();
}

std::vector<const KeyboardLayout*> all_keyboard_layouts() {
  return {&latin(), &vietnamese(), &arabic(), &korean()};
}

}  // namespace fk::ui
