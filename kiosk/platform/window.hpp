// The one seam to SDL2 + OpenGL3: a window with an ImGui context, pointer input fed from mouse and touch
// events, event-driven waiting, a thread-safe wake-up, and screenshots.
#pragma once

#include <imgui.h>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sync/model/expected.hpp"

struct SDL_Window;
union SDL_Event;

namespace fk::platform {

using TimePoint = std::chrono::steady_clock::time_point;

struct WindowOptions {
  bool fullscreen = true;
  int width = 1920;  // windowed size; fullscreen takes the display's
  int height = 1080;
  std::string title = "Community feedback";
  // An atlas built elsewhere (possibly still being built on another thread when the window opens): the
  // ImGui context uses it instead of its own. Nothing reads it before the first upload_fonts().
  ImFontAtlas* fonts = nullptr;
};

// What happened while waiting.
struct Events {
  bool input = false;  // touch, mouse or key: render a few frames so the UI settles
  bool wake = false;   // another thread asked for a redraw
  bool quit = false;   // window closed or SIGTERM/SIGINT
};

class Window {
 public:
  static Expected<std::unique_ptr<Window>> open(const WindowOptions& options);
  ~Window();
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  ImVec2 size() const;
  // Uploads the font atlas (first time: with the renderer's shaders and buffers); call again after the atlas
  // was rebuilt (new characters). Call outside a frame.
  void upload_fonts();
  // Blocks until an event arrives or `deadline` passes (forever when none); then drains what is queued.
  Events wait(std::optional<TimePoint> deadline);
  // Drains queued events without blocking.
  Events poll();
  void begin_frame();
  // Renders and shows the frame; with a path, also keeps it as PNG (read back before the swap, written on
  // a background thread so a slow encode never delays input). A frame whose successor is already certain
  // (taps wait in the queue: a fast typist on a busy machine) is built but not rendered, unless kept as PNG.
  Expected<Ok> end_frame(const std::optional<std::string>& screenshot_path = std::nullopt);
  // Frames rendered and shown so far (the others were built for ImGui to see a press, then dropped).
  long rendered_frames() const { return rendered_frames_; }
  // Waits until every screenshot asked for so far is written.
  void flush_screenshots();
  // When the latest press or release happened (from SDL's event time, so a busy frame does not delay it):
  // a tap is judged by when the finger touched, not by when the loop got round to drawing.
  std::optional<TimePoint> last_touch_time() const { return last_touch_; }
  // Thread-safe: makes wait() return with `wake` set. Hand this to background threads.
  std::function<void()> waker() const;

 private:
  Window() = default;
  void handle(const SDL_Event& event, Events& events);
  Expected<Ok> save_screenshot(const std::string& path);

  SDL_Window* window_ = nullptr;
  void* gl_context_ = nullptr;
  unsigned wake_event_ = 0;
  bool device_objects_ = false;  // the renderer's shaders, buffers and font texture exist
  // Pointer state we feed ImGui ourselves: the 1.86 SDL backend reads the global mouse and ignores
  // touch, so injected and real finger events would otherwise never reach it.
  ImVec2 pointer_{-1, -1};
  bool down_ = false;
  bool release_pending_ = false;  // a press and release in one batch: show the press for one frame first
  bool up_unseen_ = false;        // the release is due in the coming frame
  // A tap's press and release reach ImGui in two frames; later input waits in SDL's queue until both have
  // been drawn, or a quick next tap would land while the first is still down and neither would click.
  bool release_unseen() const { return release_pending_ || up_unseen_; }
  // The next frame is certain and will show this one's outcome: this frame shows a press whose release is
  // known, or another press waits in SDL's queue (each press makes the loop draw).
  bool next_frame_certain() const;
  long rendered_frames_ = 0;
  std::optional<TimePoint> last_touch_;
  std::vector<std::future<void>> writers_;  // screenshots being encoded
};

}  // namespace fk::platform
