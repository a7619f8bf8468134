#include "kiosk/ui/bidi.hpp"

#include <fribidi.h>

#include <vector>

namespace fk::ui::bidi {
namespace {

std::vector<FriBidiChar> to_unicode(std::string_view utf8) {
  std::vector<FriBidiChar> out(utf8.size() + 1);
  const FriBidiStrIndex n = fribidi_charset_to_unicode(FRIBIDI_CHAR_SET_UTF8, utf8.data(),
                                                       static_cast<FriBidiStrIndex>(utf8.size()), out.data());
  out.resize(static_cast<std::size_t>(n));
  return out;
}

}  // namespace

bool has_rtl(std::string_view utf8) {
  // Hebrew, Arabic, Syriac, Thaana, NKo … start at U+0590 (lead bytes 0xD6..0xDF); the Arabic presentation
  // forms at U+FB1D..U+FEFF. A cheap byte scan finds candidates; FriBidi decides for those.
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    if ((b >= 0xD6 && b <= 0xDF) || b == 0xEF) {
      for (FriBidiChar c : to_unicode(utf8)) {
        if (FRIBIDI_IS_RTL(fribidi_get_bidi_type(c))) return true;
      }
      return false;
    }
  }
  return false;
}

std::string visual(std::string_view logical_line, Base base) {
  if (logical_line.empty()) return {};
  if (base != Base::Rtl && !has_rtl(logical_line)) return std::string(logical_line);
  std::vector<FriBidiChar> logical = to_unicode(logical_line);
  std::vector<FriBidiChar> shown(logical.size() + 1);
  FriBidiParType direction = base == Base::Rtl   ? FRIBIDI_PAR_RTL
                             : base == Base::Ltr ? FRIBIDI_PAR_LTR
                                                 : FRIBIDI_PAR_ON;
  // fribidi_log2vis applies the default flags plus Arabic joining and shaping (FRIBIDI_FLAGS_ARABIC).
  if (fribidi_log2vis(logical.data(), static_cast<FriBidiStrIndex>(logical.size()), &direction, shown.data(),
                      nullptr, nullptr, nullptr) == 0) {
    return std::string(logical_line);
  }
  shown.resize(logical.size());
  std::vector<FriBidiChar> kept;
  kept.reserve(shown.size());
  for (FriBidiChar c : shown) {
    if (c != 0xFEFF) kept.push_back(c);  // the lam-alef ligature's placeholder; no font draws it
  }
  std::string out(kept.size() * 4 + 1, '\0');
  const FriBidiStrIndex n = fribidi_unicode_to_charset(FRIBIDI_CHAR_SET_UTF8, kept.data(),
                                                       static_cast<FriBidiStrIndex>(kept.size()), out.data());
  out.resize(static_cast<std::size_t>(n));
  return out;
}

VisualLine visual_line(std::string_view logical_line, Base base) {
  VisualLine line;
  std::vector<FriBidiChar> logical = to_unicode(logical_line);
  const auto n = static_cast<FriBidiStrIndex>(logical.size());
  if (n == 0) return line;
  if (base != Base::Rtl && !has_rtl(logical_line)) {
    line.text = std::string(logical_line);
    for (FriBidiStrIndex i = 0; i < n; ++i) line.glyph_of.push_back(i);
    line.rtl.assign(logical.size(), false);
    return line;
  }
  std::vector<FriBidiChar> shown(logical.size() + 1);
  std::vector<FriBidiStrIndex> to_visual(logical.size());
  std::vector<FriBidiLevel> levels(logical.size());
  FriBidiParType direction = base == Base::Rtl   ? FRIBIDI_PAR_RTL
                             : base == Base::Ltr ? FRIBIDI_PAR_LTR
                                                 : FRIBIDI_PAR_ON;
  if (fribidi_log2vis(logical.data(), n, &direction, shown.data(), to_visual.data(), nullptr,
                      levels.data()) == 0) {
    line.text = std::string(logical_line);
    for (FriBidiStrIndex i = 0; i < n; ++i) line.glyph_of.push_back(i);
    line.rtl.assign(logical.size(), false);
    return line;
  }
  shown.resize(logical.size());
  // Visual indexes once the ligatures' U+FEFF placeholders are gone.
  std::vector<int> kept_index(shown.size(), -1);
  std::vector<FriBidiChar> kept;
  for (std::size_t v = 0; v < shown.size(); ++v) {
    if (shown[v] == 0xFEFF) continue;
    kept_index[v] = static_cast<int>(kept.size());
    kept.push_back(shown[v]);
  }
  for (FriBidiStrIndex i = 0; i < n; ++i) {
    int glyph = kept_index[static_cast<std::size_t>(to_visual[static_cast<std::size_t>(i)])];
    if (glyph < 0) glyph = i > 0 ? line.glyph_of.back() : 0;  // a ligature's second half
    line.glyph_of.push_back(glyph);
    line.rtl.push_back((levels[static_cast<std::size_t>(i)] & 1) != 0);
  }
  std::string out(kept.size() * 4 + 1, '\0');
  const FriBidiStrIndex bytes = fribidi_unicode_to_charset(
      FRIBIDI_CHAR_SET_UTF8, kept.data(), static_cast<FriBidiStrIndex>(kept.size()), out.data());
  out.resize(static_cast<std::size_t>(bytes));
  line.text = std::move(out);
  return line;
}

Base paragraph_base(std::string_view text) {
  for (FriBidiChar c : to_unicode(text)) {
    const FriBidiCharType type = fribidi_get_bidi_type(c);
    if (FRIBIDI_IS_STRONG(type)) return FRIBIDI_IS_RTL(type) ? Base::Rtl : Base::Ltr;
  }
  return Base::Ltr;
}

}  // namespace fk::ui::bidi
