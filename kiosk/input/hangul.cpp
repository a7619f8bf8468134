#include "kiosk/input/hangul.hpp"

#include <array>
#include <optional>

#include "sync/model/utf8.hpp"

namespace fk::input::hangul {
namespace {

constexpr char32_t kSyllableFirst = 0xAC00;
constexpr char32_t kSyllableLast = 0xD7A3;
constexpr char32_t kJamoFirst = 0x3131;
constexpr char32_t kJamoLast = 0x3163;
constexpr char32_t kFirstVowel = 0x314F;  // ㅏ; the 21 medials follow in syllable order
constexpr int kMedials = 21;
constexpr int kFinals = 28;  // including "no final"

// Initial consonants in syllable order (U+AC00 + (initial * 21 + medial) * 28 + final).
constexpr std::array<char32_t, 19> kInitials = {U'ㄱ', U'ㄲ', U'ㄴ', U'ㄷ', U'ㄸ', U'ㄹ', U'ㅁ',
                                                U'ㅂ', U'ㅃ', U'ㅅ', U'ㅆ', U'ㅇ', U'ㅈ', U'ㅉ',
                                                U'ㅊ', U'ㅋ', U'ㅌ', U'ㅍ', U'ㅎ'};
// Final consonants in syllable order; index 0 is "no final".
constexpr std::array<char32_t, kFinals> kFinalJamo = {
    0,     U'ㄱ', U'ㄲ', U'ㄳ', U'ㄴ', U'ㄵ', U'ㄶ', U'ㄷ', U'ㄹ', U'ㄺ', U'ㄻ', U'ㄼ', U'ㄽ', U'ㄾ',
    U'ㄿ', U'ㅀ', U'ㅁ', U'ㅂ', U'ㅄ', U'ㅅ', U'ㅆ', U'ㅇ', U'ㅈ', U'ㅊ', U'ㅋ', U'ㅌ', U'ㅍ', U'ㅎ'};

struct Compound {
  char32_t first, second, combined;
};
constexpr std::array<Compound, 7> kCompoundVowels = {{{U'ㅗ', U'ㅏ', U'ㅘ'},
                                                      {U'ㅗ', U'ㅐ', U'ㅙ'},
                                                      {U'ㅗ', U'ㅣ', U'ㅚ'},
                                                      {U'ㅜ', U'ㅓ', U'ㅝ'},
                                                      {U'ㅜ', U'ㅔ', U'ㅞ'},
                                                      {U'ㅜ', U'ㅣ', U'ㅟ'},
                                                      {U'ㅡ', U'ㅣ', U'ㅢ'}}};
constexpr std::array<Compound, 11> kCompoundFinals = {{{U'ㄱ', U'ㅅ', U'ㄳ'},
                                                       {U'ㄴ', U'ㅈ', U'ㄵ'},
                                                       {U'ㄴ', U'ㅎ', U'ㄶ'},
                                                       {U'ㄹ', U'ㄱ', U'ㄺ'},
                                                       {U'ㄹ', U'ㅁ', U'ㄻ'},
                                                       {U'ㄹ', U'ㅂ', U'ㄼ'},
                                                       {U'ㄹ', U'ㅅ', U'ㄽ'},
                                                       {U'ㄹ', U'ㅌ', U'ㄾ'},
                                                       {U'ㄹ', U'ㅍ', U'ㄿ'},
                                                       {U'ㄹ', U'ㅎ', U'ㅀ'},
                                                       {U'ㅂ', U'ㅅ', U'ㅄ'}}};

template <std::size_t N>
std::optional<char32_t> combine(const std::array<Compound, N>& table, char32_t first, char32_t second) {
  for (const Compound& c : table) {
    if (c.first == first && c.second == second) return c.combined;
  }
  return std::nullopt;
}

template <std::size_t N>
const Compound* split(const std::array<Compound, N>& table, char32_t combined) {
  for (const Compound& c : table) {
    if (c.combined == combined) return &c;
  }
  return nullptr;
}

template <std::size_t N>
int index_of(const std::array<char32_t, N>& table, char32_t c) {
  for (std::size_t i = 0; i < N; ++i) {
    if (table[i] == c && c != 0) return static_cast<int>(i);
  }
  return -1;
}

bool is_vowel(char32_t c) {
  return c >= kFirstVowel && c <= kJamoLast;
}

// A syllable as three jamo; `final_jamo` is 0 when it has none.
struct Syllable {
  char32_t initial, medial, final_jamo;
};

Syllable decompose(char32_t syllable) {
  const auto n = static_cast<int>(syllable - kSyllableFirst);
  return {kInitials[static_cast<std::size_t>(n / (kMedials * kFinals))],
          kFirstVowel + static_cast<char32_t>(n / kFinals % kMedials),
          kFinalJamo[static_cast<std::size_t>(n % kFinals)]};
}

char32_t compose(const Syllable& s) {
  const int final_index = s.final_jamo == 0 ? 0 : index_of(kFinalJamo, s.final_jamo);
  return kSyllableFirst + static_cast<char32_t>((index_of(kInitials, s.initial) * kMedials +
                                                 static_cast<int>(s.medial - kFirstVowel)) *
                                                    kFinals +
                                                final_index);
}

struct Last {
  char32_t code_point;
  std::size_t start;  // byte offset of its first byte
};

std::optional<Last> last_code_point(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::size_t start = text.size() - 1;
  while (start > 0 && model::is_continuation_byte(static_cast<unsigned char>(text[start]))) --start;
  return Last{model::utf8_decode_at(text, start), start};
}

// `text` with its last character (starting at `start`) replaced by `first` and then `second` if not 0.
std::string replace_last(std::string text, std::size_t start, char32_t first, char32_t second = 0) {
  text.resize(start);
  model::utf8_append(text, first);
  if (second != 0) model::utf8_append(text, second);
  return text;
}

}  // namespace

bool is_jamo(char32_t c) {
  return c >= kJamoFirst && c <= kJamoLast;
}

bool is_syllable(char32_t c) {
  return c >= kSyllableFirst && c <= kSyllableLast;
}

std::string type_jamo(std::string text, char32_t jamo) {
  const auto last = last_code_point(text);
  if (!is_jamo(jamo) || !last) {
    model::utf8_append(text, jamo);
    return text;
  }
  const char32_t prev = last->code_point;
  if (is_syllable(prev)) {
    Syllable s = decompose(prev);
    if (!is_vowel(jamo)) {
      if (s.final_jamo == 0 && index_of(kFinalJamo, jamo) >= 0) {
        s.final_jamo = jamo;
        return replace_last(std::move(text), last->start, compose(s));
      }
      if (auto compound = combine(kCompoundFinals, s.final_jamo, jamo)) {
        s.final_jamo = *compound;
        return replace_last(std::move(text), last->start, compose(s));
      }
    } else if (s.final_jamo == 0) {
      if (auto compound = combine(kCompoundVowels, s.medial, jamo)) {
        s.medial = *compound;
        return replace_last(std::move(text), last->start, compose(s));
      }
    } else {
      // The final moves to start the next syllable; a compound final gives up only its second half.
      char32_t next_initial = s.final_jamo;
      if (const Compound* parts = split(kCompoundFinals, s.final_jamo)) {
        s.final_jamo = parts->first;
        next_initial = parts->second;
      } else {
        s.final_jamo = 0;
      }
      return replace_last(std::move(text), last->start, compose(s), compose({next_initial, jamo, 0}));
    }
  } else if (is_vowel(jamo) && index_of(kInitials, prev) >= 0) {
    return replace_last(std::move(text), last->start, compose({prev, jamo, 0}));
  } else if (is_vowel(jamo) && is_vowel(prev)) {
    if (auto compound = combine(kCompoundVowels, prev, jamo)) {
      return replace_last(std::move(text), last->start, *compound);
    }
  }
  model::utf8_append(text, jamo);
  return text;
}

std::string type_key(std::string text, const std::string& key) {
  if (!key.empty()) {
    const char32_t c = model::utf8_decode_at(key, 0);
    std::string single;
    model::utf8_append(single, c);
    if (single == key && is_jamo(c)) return type_jamo(std::move(text), c);
  }
  return text + key;
}

std::string delete_back(std::string text) {
  const auto last = last_code_point(text);
  if (!last) return text;
  const char32_t prev = last->code_point;
  if (is_syllable(prev)) {
    Syllable s = decompose(prev);
    if (s.final_jamo != 0) {
      const Compound* parts = split(kCompoundFinals, s.final_jamo);
      s.final_jamo = parts ? parts->first : 0;
      return replace_last(std::move(text), last->start, compose(s));
    }
    if (const Compound* parts = split(kCompoundVowels, s.medial)) {
      s.medial = parts->first;
      return replace_last(std::move(text), last->start, compose(s));
    }
    return replace_last(std::move(text), last->start, s.initial);
  }
  if (const Compound* parts = split(kCompoundVowels, prev)) {
    return replace_last(std::move(text), last->start, parts->first);
  }
  text.resize(last->start);
  return text;
}

std::string compound_vowel_jamo() {
  std::string out;
  for (const Compound& c : kCompoundVowels) model::utf8_append(out, c.combined);
  return out;
}

}  // namespace fk::input::hangul
