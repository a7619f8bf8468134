// The SDL/GL baseline for kiosk_startup_bench: the same window (SDL2 + OpenGL3 + ImGui, fullscreen) with
// ImGui's built-in font and nothing else. It draws one frame, writes $FK_AUTOMATION_DIR/layout.json as the
// kiosk's automation hook does after its first frame, then idles until SIGTERM. The difference between its
// peak RSS and the kiosk's is what the kiosk itself costs (catalogs, fonts, survey, store).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "kiosk/platform/window.hpp"

int main() {
  auto window = fk::platform::Window::open({true, 1920, 1080, "baseline"});
  if (!window) {
    std::fprintf(stderr, "%s\n", window.error().message.c_str());
    return 1;
  }
  ImGui::GetIO().Fonts->AddFontDefault();
  (*window)->upload_fonts();
  (*window)->begin_frame();
  if (!(*window)->end_frame()) return 1;
  if (const char* dir = std::getenv("FK_AUTOMATION_DIR")) {
    if (FILE* f = std::fopen((std::string(dir) + "/layout.json").c_str(), "w")) {
      std::fputs("{}\n", f);
      std::fclose(f);
    }
  }
  while (!(*window)->wait(std::nullopt).quit) {
  }
  return 0;
}
