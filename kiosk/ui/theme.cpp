#include "kiosk/ui/theme.hpp"

#include <algorithm>

namespace fk::ui {

Theme Theme::for_display(ImVec2 size) {
  Theme theme;
  // Scale by the shorter way of the screen, so a portrait kiosk keeps touch-sized targets too.
  theme.scale = std::max(0.5f, std::min(size.y / 1080.0f, size.x / 1920.0f * 1.3f));
  return theme;
}

}  // namespace fk::ui
