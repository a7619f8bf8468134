// Counting and trimming UTF-8 text by code point, for length bounds that mean characters, not bytes.
#pragma once

#include <cstddef>
#include <string>

namespace fk::model {

inline bool is_continuation_byte(unsigned char c) { return (c & 0xC0) == 0x80; }

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

}  // namespace fk::model
