#include "kiosk/platform/window.hpp"

#include <GL/gl.h>
#include <SDL.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace fk::platform {

Expected<std::unique_ptr<Window>> Window::open(const WindowOptions& options) {
  SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");  // we read fingers ourselves; no synthetic mouse copies
  SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER | SDL_INIT_EVENTS) != 0) {
    return Error{std::string("cannot start the display (SDL): ") + SDL_GetError()};
  }
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);

  std::unique_ptr<Window> w(new Window());
  Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
  // Fullscreen takes the output's size (cage gives the whole output); a window may be resized. Either way
  // the drawable's size can change later, and the app lays out again when it does.
  flags |= options.fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : SDL_WINDOW_RESIZABLE;
  w->window_ = SDL_CreateWindow(options.title.c_str(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                options.width, options.height, flags);
  if (w->window_ == nullptr) return Error{std::string("cannot open a window: ") + SDL_GetError()};
  w->gl_context_ = SDL_GL_CreateContext(w->window_);
  if (w->gl_context_ == nullptr)
    return Error{std::string("cannot create an OpenGL context: ") + SDL_GetError()};
  SDL_GL_MakeCurrent(w->window_, w->gl_context_);
  SDL_GL_SetSwapInterval(1);  // fails under Xvfb; pacing comes from waiting on events anyway
  if (options.fullscreen) SDL_ShowCursor(SDL_DISABLE);
  w->wake_event_ = SDL_RegisterEvents(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext(options.fonts);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // nothing written to the working directory
  io.LogFilename = nullptr;
  ImGui_ImplSDL2_InitForOpenGL(w->window_, w->gl_context_);
  ImGui_ImplOpenGL3_Init("#version 130");
  return w;
}

Window::~Window() {
  flush_screenshots();
  if (ImGui::GetCurrentContext() != nullptr) {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
  }
  if (gl_context_ != nullptr) SDL_GL_DeleteContext(gl_context_);
  if (window_ != nullptr) SDL_DestroyWindow(window_);
  SDL_Quit();
}

ImVec2 Window::size() const {
  int w = 0, h = 0;
  SDL_GL_GetDrawableSize(window_, &w, &h);
  return ImVec2(static_cast<float>(w), static_cast<float>(h));
}

void Window::upload_fonts() {
  // Tracked here rather than left to the backend's first NewFrame, which would create a second font
  // texture and read the atlas again after its pixels were freed below (a second atlas build).
  if (!device_objects_) {
    ImGui_ImplOpenGL3_CreateDeviceObjects();
    device_objects_ = true;
  } else {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
  ImGui::GetIO().Fonts->ClearTexData();  // the GPU has the pixels now; the CPU copy is megabytes
}

std::function<void()> Window::waker() const {
  const Uint32 type = wake_event_;
  return [type] {
    SDL_Event event{};
    event.type = type;
    SDL_PushEvent(&event);  // SDL's event queue is thread-safe
  };
}

void Window::handle(const SDL_Event& event, Events& events) {
  const ImVec2 size = this->size();
  switch (event.type) {
    case SDL_QUIT:
      events.quit = true;
      return;
    case SDL_MOUSEMOTION:
      if (event.motion.which == SDL_TOUCH_MOUSEID) return;
      pointer_ = ImVec2(static_cast<float>(event.motion.x), static_cast<float>(event.motion.y));
      // A touch UI has no hover states: a wandering mouse only matters while it is pressed.
      if (down_) events.input = true;
      return;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
      if (event.button.which == SDL_TOUCH_MOUSEID || event.button.button != SDL_BUTTON_LEFT) return;
      pointer_ = ImVec2(static_cast<float>(event.button.x), static_cast<float>(event.button.y));
      break;
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
    case SDL_FINGERMOTION:
      pointer_ = ImVec2(event.tfinger.x * size.x, event.tfinger.y * size.y);
      break;
    case SDL_WINDOWEVENT:
      events.input = true;
      return;
    default:
      if (event.type == wake_event_) events.wake = true;
      return;
  }
  events.input = true;
  const bool press = event.type == SDL_MOUSEBUTTONDOWN || event.type == SDL_FINGERDOWN;
  const bool release = event.type == SDL_MOUSEBUTTONUP || event.type == SDL_FINGERUP;
  if (press || release) {
    const Uint32 ticks = SDL_GetTicks();
    const Uint32 age = ticks >= event.common.timestamp ? ticks - event.common.timestamp : 0;
    last_touch_ = std::chrono::steady_clock::now() - std::chrono::milliseconds(age);
  }
  if (press) {
    down_ = true;
    release_pending_ = false;
  } else if (release && down_) {
    release_pending_ = true;  // keep it down for the coming frame, so ImGui sees the press at all
  }
}

Events Window::poll() {
  Events events;
  SDL_Event event;
  while (!release_unseen() && SDL_PollEvent(&event)) handle(event, events);
  return events;
}

Events Window::wait(std::optional<TimePoint> deadline) {
  Events events;
  SDL_Event event;
  int got = 0;
  if (!deadline) {
    got = SDL_WaitEvent(&event);
  } else {
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
    const int ms = static_cast<int>(std::clamp<long long>(left.count(), 0, 24LL * 3600 * 1000));
    got = ms == 0 ? SDL_PollEvent(&event) : SDL_WaitEventTimeout(&event, ms);
  }
  if (got) handle(event, events);
  while (!release_unseen() && SDL_PollEvent(&event)) handle(event, events);
  return events;
}

void Window::begin_frame() {
  if (!device_objects_) upload_fonts();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = pointer_;
  io.MouseDown[0] = down_;
  up_unseen_ = false;  // this frame shows the release of an earlier one
  if (release_pending_) {
    down_ = false;
    release_pending_ = false;
    up_unseen_ = true;
  }
  ImGui::NewFrame();
}

bool Window::next_frame_certain() const {
  if (up_unseen_) return true;
  for (const Uint32 press : {SDL_FINGERDOWN, SDL_MOUSEBUTTONDOWN}) {
    if (SDL_PeepEvents(nullptr, 0, SDL_PEEKEVENT, press, press) > 0) return true;
  }
  return false;
}

Expected<Ok> Window::end_frame(const std::optional<std::string>& screenshot_path) {
  // SDL stamps an event when it pumps it; pumping around the slow GL work keeps those stamps close to when
  // the finger touched (the tap guard compares them), even on a machine too busy to draw quickly.
  SDL_PumpEvents();
  // ImGui needs a frame per press and per release, but nobody needs to see each of them while taps queue up:
  // rendering is most of a frame's cost (software GL on a busy machine), so a backlog of 500 keys is worked
  // off at the speed of building frames, and the frame after it shows the result.
  if (!screenshot_path && next_frame_certain()) {
    ImGui::EndFrame();
    return Ok{};
  }
  ++rendered_frames_;
  ImGui::Render();
  const ImVec2 s = size();
  glViewport(0, 0, static_cast<int>(s.x), static_cast<int>(s.y));
  glClearColor(1, 1, 1, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  Expected<Ok> saved = Ok{};
  if (screenshot_path) saved = save_screenshot(*screenshot_path);
  SDL_PumpEvents();
  SDL_GL_SwapWindow(window_);
  SDL_PumpEvents();
  return saved;
}

Expected<Ok> Window::save_screenshot(const std::string& path) {
  const ImVec2 s = size();
  const int w = static_cast<int>(s.x), h = static_cast<int>(s.y);
  const std::size_t row = static_cast<std::size_t>(w) * 3;
  std::vector<unsigned char> pixels(row * static_cast<std::size_t>(h));
  glReadBuffer(GL_BACK);  // the frame just rendered, before the swap
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
  if (glGetError() != GL_NO_ERROR) return Error{"cannot read the frame back for " + path};
  // GL rows start at the bottom; PNG rows at the top.
  std::vector<unsigned char> image(pixels.size());
  for (int y = 0; y < h; ++y) {
    std::copy_n(pixels.begin() + static_cast<std::ptrdiff_t>(row * static_cast<std::size_t>(h - 1 - y)), row,
                image.begin() + static_cast<std::ptrdiff_t>(row * static_cast<std::size_t>(y)));
  }
  // PNG encoding takes a while (longer on a busy machine): off the UI thread, so input keeps being read.
  std::erase_if(writers_, [](std::future<void>& f) {
    return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  });
  writers_.push_back(std::async(std::launch::async, [path, w, h, image = std::move(image)] {
    if (!stbi_write_png(path.c_str(), w, h, 3, image.data(), w * 3)) {
      std::fprintf(stderr, "feedback-kiosk: cannot write %s\n", path.c_str());
    }
  }));
  return Ok{};
}

void Window::flush_screenshots() {
  for (auto& writer : writers_) writer.wait();
  writers_.clear();
}

}  // namespace fk::platform
