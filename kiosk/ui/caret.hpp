// The caret of a text being typed: a count of code points from the start of the logical text (reading order,
// whatever the script's direction). It stops only where a person sees two characters apart: never before a
// combining mark, never between the lam and the alef that the Arabic keyboard's لا key types as one ligature.
// Hangul syllables and Vietnamese letters are single (precomposed) code points, so a composed syllable is
// never split.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace fk::ui::caret {

// A mark drawn on the character before it (an accent, an Arabic vowel sign): never typed or deleted alone.
bool is_mark(char32_t c);
// Code points in `text`.
std::size_t length(const std::string& text);
// The byte where the code point at `caret` starts (text.size() at the end).
std::size_t byte_offset(const std::string& text, std::size_t caret);
// Whether the caret may stand before code point `caret` (0 and the end always may).
bool is_stop(const std::string& text, std::size_t caret);
// The same on decoded code points (for a loop over every position of a long text).
bool is_stop(const std::u32string& code_points, std::size_t caret);
// `caret` made valid for `text`: none means the end; past the end, the end; inside a cluster, its start.
std::size_t clamp(const std::string& text, std::optional<std::size_t> caret);
// The stop after / before `caret` (the same at the end / the start).
std::size_t next(const std::string& text, std::size_t caret);
std::size_t previous(const std::string& text, std::size_t caret);

}  // namespace fk::ui::caret
