#include "kiosk/ui/caret.hpp"

#include "sync/model/utf8.hpp"

namespace fk::ui::caret {
namespace {

bool is_alef(char32_t c) {
  return c == 0x0622 || c == 0x0623 || c == 0x0625 || c == 0x0627;
}

}  // namespace

// Latin combining marks, Arabic harakat, and the general combining blocks.
bool is_mark(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x0610 && c <= 0x061A) || (c >= 0x064B && c <= 0x065F) ||
         c == 0x0670 || (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
         (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE20 && c <= 0xFE2F);
}

std::size_t length(const std::string& text) {
  return model::utf8_length(text);
}

std::size_t byte_offset(const std::string& text, std::size_t caret) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (model::is_continuation_byte(static_cast<unsigned char>(text[i]))) continue;
    if (seen == caret) return i;
    ++seen;
  }
  return text.size();
}

bool is_stop(const std::u32string& code_points, std::size_t caret) {
  if (caret == 0 || caret >= code_points.size()) return true;
  const char32_t c = code_points[caret];
  if (is_mark(c)) return false;
  return !(is_alef(c) && code_points[caret - 1] == 0x0644);  // lam-alef draws as one glyph
}

bool is_stop(const std::string& text, std::size_t caret) {
  if (caret == 0) return true;
  const std::size_t at = byte_offset(text, caret);
  if (at >= text.size()) return true;
  const std::size_t before = byte_offset(text, caret - 1);
  return is_stop(std::u32string{model::utf8_decode_at(text, before), model::utf8_decode_at(text, at)}, 1);
}

std::size_t clamp(const std::string& text, std::optional<std::size_t> caret) {
  const std::size_t end = length(text);
  std::size_t at = caret.value_or(end);
  if (at > end) at = end;
  while (at > 0 && !is_stop(text, at)) --at;
  return at;
}

std::size_t next(const std::string& text, std::size_t caret) {
  const std::size_t end = length(text);
  std::size_t at = caret;
  do {
    if (at >= end) return end;
    ++at;
  } while (!is_stop(text, at));
  return at;
}

std::size_t previous(const std::string& text, std::size_t caret) {
  std::size_t at = caret;
  do {
    if (at == 0) return 0;
    --at;
  } while (!is_stop(text, at));
  return at;
}

}  // namespace fk::ui::caret
