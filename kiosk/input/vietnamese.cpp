#include "kiosk/input/vietnamese.hpp"

#include <array>
#include <optional>
#include <string_view>

#include "sync/model/utf8.hpp"

namespace fk::input::vietnamese {
namespace {

constexpr std::size_t kBases = 12;  // a ă â e ê i o ô ơ u ư y
// Each vowel in the order of Tone (none, sắc, huyền, hỏi, ngã, nặng): the lower-case rows, then the same
// bases in upper case. All are single precomposed code points (NFC).
constexpr std::array<std::u32string_view, 2 * kBases> kVowels = {
    U"aáàảãạ", U"ăắằẳẵặ", U"âấầẩẫậ", U"eéèẻẽẹ", U"êếềểễệ", U"iíìỉĩị", U"oóòỏõọ", U"ôốồổỗộ",
    U"ơớờởỡợ", U"uúùủũụ", U"ưứừửữự", U"yýỳỷỹỵ", U"AÁÀẢÃẠ", U"ĂẮẰẲẴẶ", U"ÂẤẦẨẪẬ", U"EÉÈẺẼẸ",
    U"ÊẾỀỂỄỆ", U"IÍÌỈĨỊ", U"OÓÒỎÕỌ", U"ÔỐỒỔỖỘ", U"ƠỚỜỞỠỢ", U"UÚÙỦŨỤ", U"ƯỨỪỬỮỰ", U"YÝỲỶỸỴ"};

// Rows of kVowels modulo kBases.
enum Base : std::size_t {
  kA,
  kABreve,
  kACircumflex,
  kE,
  kECircumflex,
  kI,
  kO,
  kOCircumflex,
  kOHorn,
  kU,
  kUHorn,
  kY
};

struct Vowel {
  std::size_t row;  // into kVowels
  Tone tone;
  Base base() const { return static_cast<Base>(row % kBases); }
};

std::optional<Vowel> find_vowel(char32_t c) {
  for (std::size_t row = 0; row < kVowels.size(); ++row) {
    const auto column = kVowels[row].find(c);
    if (column != std::u32string_view::npos) return Vowel{row, static_cast<Tone>(column)};
  }
  return std::nullopt;
}

char32_t with_tone(const Vowel& v, Tone tone) {
  return kVowels[v.row][static_cast<std::size_t>(tone)];
}

bool has_diacritic(Base b) {
  return b == kABreve || b == kACircumflex || b == kECircumflex || b == kOCircumflex || b == kOHorn ||
         b == kUHorn;
}

bool is_ascii_letter(char32_t c) {
  return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}

// A letter a Vietnamese syllable can contain: Latin letters, đ, and the vowels above.
bool is_letter(char32_t c) {
  return is_ascii_letter(c) || c == U'đ' || c == U'Đ' || find_vowel(c).has_value();
}

// Byte offset where the run of letters that ends `text` begins (text.size() when it ends in a non-letter).
std::size_t syllable_start(const std::string& text) {
  std::size_t start = text.size();
  while (start > 0) {
    std::size_t previous = start - 1;
    while (previous > 0 && model::is_continuation_byte(static_cast<unsigned char>(text[previous])))
      --previous;
    const std::u32string c = model::utf8_decode(std::string_view(text).substr(previous, start - previous));
    if (c.size() != 1 || !is_letter(c[0])) break;
    start = previous;
  }
  return start;
}

bool is_vowel(char32_t c) {
  return find_vowel(c).has_value();
}

// Index in `syllable` of the vowel that carries the tone (see the rule in the header), if it has a vowel.
std::optional<std::size_t> tone_position(const std::u32string& syllable) {
  const std::size_t n = syllable.size();
  std::size_t i = 0;
  while (i < n && !is_vowel(syllable[i])) ++i;
  if (i == n) return std::nullopt;
  // "qu" and "gi" + vowel: the u / i are part of the initial consonant.
  if (i == 1 && i + 1 < n && is_vowel(syllable[i + 1])) {
    const char32_t initial = syllable[0] | 0x20;  // ASCII lower case; other letters never match below
    const Base second = find_vowel(syllable[1])->base();
    if ((initial == U'q' && second == kU) || (initial == U'g' && second == kI)) ++i;
  }
  const std::size_t begin = i;
  while (i < n && is_vowel(syllable[i])) ++i;
  const std::size_t end = i;
  const bool final_consonant = end < n;
  if (end - begin == 1) return begin;
  for (std::size_t j = end; j-- > begin;) {
    if (has_diacritic(find_vowel(syllable[j])->base())) return j;
  }
  if (final_consonant) return end - 1;
  if (end - begin == 2) {
    const Base first = find_vowel(syllable[begin])->base();
    const Base second = find_vowel(syllable[begin + 1])->base();
    const bool second_takes_it =
        (first == kO && (second == kA || second == kE)) || (first == kU && second == kY);
    return second_takes_it ? begin + 1 : begin;
  }
  return begin + 1;
}

// Takes every tone off `syllable`; returns the first one it had.
Tone strip_tone(std::u32string& syllable) {
  Tone had = Tone::None;
  for (char32_t& c : syllable) {
    if (auto v = find_vowel(c); v && v->tone != Tone::None) {
      if (had == Tone::None) had = v->tone;
      c = with_tone(*v, Tone::None);
    }
  }
  return had;
}

// Rewrites the syllable ending `text` with `tone` (or none) where the rule puts it. `toggle`: the tone the
// syllable already has is taken off instead. `keep`: the syllable keeps the tone it has, wherever it is now.
enum class ToneChange { Set, Toggle, Keep };

std::string retone(std::string text, Tone tone, ToneChange change) {
  const std::size_t start = syllable_start(text);
  std::u32string syllable = model::utf8_decode(std::string_view(text).substr(start));
  const auto position = tone_position(syllable);
  if (!position) return text;
  const Tone had = strip_tone(syllable);
  if (change == ToneChange::Keep) tone = had;
  if (change == ToneChange::Toggle && had == tone) tone = Tone::None;
  if (tone != Tone::None) syllable[*position] = with_tone(*find_vowel(syllable[*position]), tone);
  text.resize(start);
  for (char32_t c : syllable) model::utf8_append(text, c);
  return text;
}

}  // namespace

const char* tone_name(Tone tone) {
  switch (tone) {
    case Tone::None:
      return "none";
    case Tone::Sac:
      return "sac";
    case Tone::Huyen:
      return "huyen";
    case Tone::Hoi:
      return "hoi";
    case Tone::Nga:
      return "nga";
    case Tone::Nang:
      return "nang";
  }
  return "none";
}

std::string apply_tone(std::string text, Tone tone) {
  return retone(std::move(text), tone, ToneChange::Toggle);
}

std::string type_letter(std::string text, const std::string& letter) {
  return retone(std::move(text) + letter, Tone::None, ToneChange::Keep);
}

std::string vowel_forms() {
  std::string out;
  for (std::u32string_view row : kVowels) {
    for (char32_t c : row) model::utf8_append(out, c);
  }
  return out;
}

}  // namespace fk::input::vietnamese
