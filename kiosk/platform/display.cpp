#include "kiosk/platform/display.hpp"

#include <SDL.h>

namespace fk::platform {

Expected<DisplayInfo> probe_display() {
  if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
    return Error{std::string("cannot start the display (SDL): ") + SDL_GetError()};
  }
  DisplayInfo info;
  const char* driver = SDL_GetCurrentVideoDriver();
  info.driver = driver != nullptr ? driver : "";
  SDL_DisplayMode mode{};
  if (SDL_GetDesktopDisplayMode(0, &mode) == 0) {
    info.width = mode.w;
    info.height = mode.h;
  }
  return info;
}

void stop_display() {
  SDL_QuitSubSystem(SDL_INIT_VIDEO);
}

bool is_headless_driver(std::string_view driver) {
  return driver == "offscreen" || driver == "dummy";
}

}  // namespace fk::platform
