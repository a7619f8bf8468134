// The drawing surface every screen gets: theme, fonts, the display size, and a record of what was drawn
// (touch targets and texts) that tests and the automation hook read back.
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/theme.hpp"

namespace fk::ui {

struct TouchTarget {
  std::string id;     // stable, e.g. "rating-4", "key-a", "next"
  std::string label;  // the text shown on it
  ImVec2 min, max;    // screen pixels
  bool selected = false;
  float height() const { return max.y - min.y; }
  ImVec2 center() const { return {(min.x + max.x) / 2, (min.y + max.y) / 2}; }
};

struct FrameRecord {
  std::string screen;
  std::vector<TouchTarget> targets;
  std::vector<std::string> texts;  // every string drawn, in drawing order
  const TouchTarget* find(const std::string& id) const;
};

struct Canvas {
  const Theme& theme;
  const Fonts& fonts;
  ImVec2 size;
  FrameRecord& record;
  ImDrawList* draw = nullptr;  // set by begin_screen
};

}  // namespace fk::ui
