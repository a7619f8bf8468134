// An automation hook for end-to-end tests and benchmarks, active only when FK_AUTOMATION_DIR is set:
// after each frame it writes what is on screen (screen name, touch targets with their pixel rectangles, texts,
// each line of text drawn with the box it must stay inside, characters drawn without a glyph, the drawable's
// size) to layout.json, and keeps one PNG of every distinct screen once it has settled (unless
// FK_AUTOMATION_SCREENSHOTS=off).
#pragma once

#include <optional>
#include <string>

#include "kiosk/ui/canvas.hpp"

namespace fk::kiosk {

class Automation {
 public:
  // Null when the environment does not ask for automation.
  static std::optional<Automation> from_environment();
  explicit Automation(std::string dir) : dir_(std::move(dir)) {}

  // Records the frame just drawn on a drawable of `display` pixels; returns a screenshot path when this frame
  // should be kept.
  std::optional<std::string> frame_drawn(const ui::FrameRecord& record, const std::string& key,
                                         ImVec2 display);

 private:
  void write_layout(const ui::FrameRecord& record, const std::string& key, ImVec2 display);

  std::string dir_;
  long frame_ = 0;
  int screenshot_count_ = 0;
  std::string key_;
  int frames_on_key_ = 0;
  bool screenshots_ = true;
};

}  // namespace fk::kiosk
