// Which display SDL found before any window opens: its video driver and the desktop's size. The kiosk
// refuses SDL's offscreen and dummy drivers (a blank lobby screen that looks healthy) unless asked.
#pragma once

#include <string>
#include <string_view>

#include "sync/model/expected.hpp"

namespace fk::platform {

struct DisplayInfo {
  std::string driver;  // SDL_GetCurrentVideoDriver(): "x11", "wayland", "offscreen", "dummy", ...
  int width = 0;       // the first display's desktop mode; 0 when SDL cannot tell
  int height = 0;
};

// Starts SDL's video subsystem (Window::open reuses it) and reports what it chose.
Expected<DisplayInfo> probe_display();
// Undoes probe_display() when no window will open.
void stop_display();
// True for drivers that draw nowhere a person can see.
bool is_headless_driver(std::string_view driver);

}  // namespace fk::platform
