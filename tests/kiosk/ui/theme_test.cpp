// The theme's colours meet WCAG contrast for large text, computed, not assumed.
#include "kiosk/ui/theme.hpp"

#include <catch2/catch.hpp>
#include <cmath>

namespace {

double luminance(ImU32 c) {
  auto channel = [](unsigned v) {
    const double s = v / 255.0;
    return s <= 0.03928 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(c & 0xFF) + 0.7152 * channel((c >> 8) & 0xFF) + 0.0722 * channel((c >> 16) & 0xFF);
}

double contrast(ImU32 a, ImU32 b) {
  const double la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

}  // namespace

TEST_CASE("text colours have at least 7:1 contrast against what they sit on") {
  const fk::ui::Theme t;
  CHECK(contrast(t.text, t.background) >= 7.0);
  CHECK(contrast(t.text_muted, t.background) >= 7.0);
  CHECK(contrast(t.text, t.secondary) >= 7.0);
  CHECK(contrast(t.on_dim, t.dim_background) >= 7.0);
  CHECK(contrast(t.on_primary, t.primary) >= 4.5);  // large bold labels: AA for large text needs 3:1
  CHECK(contrast(t.on_primary, t.primary_pressed) >= 7.0);
}

TEST_CASE("the theme scales with the display") {
  CHECK(fk::ui::Theme::for_display({1920, 1080}).scale == Approx(1.0f));
  CHECK(fk::ui::Theme::for_display({3840, 2160}).scale == Approx(2.0f));
  CHECK(fk::ui::Theme::for_display({1280, 800}).scale == Approx(800.0f / 1080.0f));
}
