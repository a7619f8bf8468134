// Touch and mouse events pushed into SDL reach ImGui through the window's own pointer feeding, a press and
// release in one batch still clicks, a wake-up from another thread ends a wait, and screenshots are written.
#include "kiosk/platform/window.hpp"

#include <SDL.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>

using namespace fk::platform;

namespace {

std::unique_ptr<Window> open_window() {
  auto window = Window::open({false, 800, 600, "test"});
  REQUIRE(window.ok());
  ImGui::GetIO().Fonts->AddFontDefault();
  window.value()->upload_fonts();
  return std::move(window.value());
}

void push_finger(Uint32 type, float x, float y) {
  SDL_Event e{};
  e.type = type;
  e.tfinger.touchId = 1;
  e.tfinger.fingerId = 1;
  e.tfinger.x = x;  // normalised to the window
  e.tfinger.y = y;
  SDL_PushEvent(&e);
}

// Draws one frame with a 200x100 button at (100, 100); returns whether it was clicked.
bool frame_with_button(Window& window) {
  window.begin_frame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(window.size());
  ImGui::Begin("w", nullptr, ImGuiWindowFlags_NoDecoration);
  ImGui::SetCursorScreenPos(ImVec2(100, 100));
  const bool clicked = ImGui::Button("tap me", ImVec2(200, 100));
  ImGui::End();
  REQUIRE(window.end_frame().ok());
  return clicked;
}

// Two keys side by side; returns the label of the one clicked this frame, or 0.
char frame_with_two_keys(Window& window) {
  window.begin_frame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(window.size());
  ImGui::Begin("w", nullptr, ImGuiWindowFlags_NoDecoration);
  char clicked = 0;
  ImGui::SetCursorScreenPos(ImVec2(100, 100));
  if (ImGui::Button("a", ImVec2(200, 100))) clicked = 'a';
  ImGui::SetCursorScreenPos(ImVec2(400, 100));
  if (ImGui::Button("b", ImVec2(200, 100))) clicked = 'b';
  ImGui::End();
  REQUIRE(window.end_frame().ok());
  return clicked;
}

}  // namespace

TEST_CASE("a finger tap whose down and up arrive together still clicks") {
  auto window = open_window();
  frame_with_button(*window);
  push_finger(SDL_FINGERDOWN, 200.0f / 800, 150.0f / 600);
  push_finger(SDL_FINGERUP, 200.0f / 800, 150.0f / 600);
  const Events events = window->poll();
  CHECK(events.input);
  int clicks = 0;
  for (int i = 0; i < 3; ++i) clicks += frame_with_button(*window) ? 1 : 0;
  CHECK(clicks == 1);
}

TEST_CASE("a finger tap outside the button does not click it") {
  auto window = open_window();
  frame_with_button(*window);
  push_finger(SDL_FINGERDOWN, 0.9f, 0.9f);
  push_finger(SDL_FINGERUP, 0.9f, 0.9f);
  window->poll();
  int clicks = 0;
  for (int i = 0; i < 3; ++i) clicks += frame_with_button(*window) ? 1 : 0;
  CHECK(clicks == 0);
}

TEST_CASE("mouse presses pushed as SDL events click too") {
  auto window = open_window();
  frame_with_button(*window);
  for (Uint32 type : {SDL_MOUSEBUTTONDOWN, SDL_MOUSEBUTTONUP}) {
    SDL_Event e{};
    e.type = type;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.which = 0;
    e.button.x = 150;
    e.button.y = 120;
    SDL_PushEvent(&e);
  }
  window->poll();
  int clicks = 0;
  for (int i = 0; i < 3; ++i) clicks += frame_with_button(*window) ? 1 : 0;
  CHECK(clicks == 1);
}

// A fast typist on a busy machine: many taps reach SDL between two frames. Each press and release pair is
// one tap, applied in order; none is merged into another or dropped, however many wait.
TEST_CASE("taps queued between two frames are each applied, in order") {
  auto window = open_window();
  frame_with_two_keys(*window);
  window->poll();
  const std::string typed = "abbaababbbaa";
  for (char c : typed) {
    const float x = (c == 'a' ? 200.0f : 500.0f) / 800;
    push_finger(SDL_FINGERDOWN, x, 150.0f / 600);
    push_finger(SDL_FINGERUP, x, 150.0f / 600);
  }
  std::string clicked;
  for (int frame = 0; frame < 100 && clicked.size() < typed.size(); ++frame) {
    window->poll();
    if (const char c = frame_with_two_keys(*window)) clicked += c;
  }
  CHECK(clicked == typed);
  // Each press frame had its release waiting, and each release frame but the last another press: only
  // what follows the backlog is rendered, not the frames in between.
  const long rendered = window->rendered_frames();
  CHECK(rendered <= 2);
  frame_with_two_keys(*window);
  CHECK(window->rendered_frames() == rendered + 1);  // nothing queued: the frame is shown
}

TEST_CASE("a wake-up from another thread ends a wait with no deadline") {
  auto window = open_window();
  window->poll();  // drain the window's own start-up events
  auto wake = window->waker();
  std::thread other([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    wake();
  });
  const auto start = std::chrono::steady_clock::now();
  const Events events = window->wait(std::nullopt);
  other.join();
  CHECK(events.wake);
  CHECK_FALSE(events.input);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("waiting for a deadline sleeps until it passes, without spinning") {
  auto window = open_window();
  window->poll();
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::milliseconds(200);
  int wakeups = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    const Events events = window->wait(deadline);
    CHECK_FALSE(events.wake);
    ++wakeups;
  }
  CHECK(wakeups < 20);  // a busy loop would wake thousands of times
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}

TEST_CASE("a frame can be kept as a PNG") {
  auto window = open_window();
  const auto path = std::filesystem::temp_directory_path() / "fk-window-test.png";
  std::filesystem::remove(path);
  window->begin_frame();
  REQUIRE(window->end_frame(path.string()).ok());
  window->flush_screenshots();  // written in the background
  CHECK(std::filesystem::file_size(path) > 100);
  std::filesystem::remove(path);
}
