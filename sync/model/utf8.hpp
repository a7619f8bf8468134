// Counting and trimming UTF-8 text by code point, for length bounds that mean characters, not bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fk::model {

inline bool is_continuation_byte(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

// Number of code points (continuation bytes are not counted).
inline std::size_t utf8_length(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += is_continuation_byte(c) ? 0 : 1;
  return n;
}

// Removes the last code point, whole.
inline void utf8_pop_back(std::string& s) {
  while (!s.empty() && is_continuation_byte(static_cast<unsigned char>(s.back()))) s.pop_back();
  if (!s.empty()) s.pop_back();
}

// Appends one code point, encoded.
inline void utf8_append(std::string& s, char32_t c) {
  if (c < 0x80) {
    s += static_cast<char>(c);
  } else if (c < 0x800) {
    s += static_cast<char>(0xC0 | (c >> 6));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    s += static_cast<char>(0xE0 | (c >> 12));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (c >> 18));
    s += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// The code point whose first byte is at `start` (well-formed UTF-8 is assumed; a stray byte decodes as
// itself); `length`, when given, receives its length in bytes.
inline char32_t utf8_decode_at(std::string_view text, std::size_t start, std::size_t* length = nullptr) {
  const auto lead = static_cast<unsigned char>(text[start]);
  const std::size_t extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
  auto c = static_cast<char32_t>(extra == 0 ? lead : lead & (0x3F >> extra));
  std::size_t i = start + 1;
  for (; i <= start + extra && i < text.size() && is_continuation_byte(static_cast<unsigned char>(text[i]));
       ++i) {
    c = (c << 6) | static_cast<char32_t>(static_cast<unsigned char>(text[i]) & 0x3F);
  }
  if (length != nullptr) *length = i - start;
  return c;
}

// Every code point of `text`.
inline std::u32string utf8_decode(std::string_view text) {
  std::u32string out;
  for (std::size_t i = 0, n = 0; i < text.size(); i += n) out += utf8_decode_at(text, i, &n);
  return out;
}

}  // namespace fk::model
