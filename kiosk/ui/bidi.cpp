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

}  // namespace fk::ui::bidi
