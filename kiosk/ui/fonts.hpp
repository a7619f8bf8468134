// The kiosk's fonts: found with fontconfig among Debian's Noto packages (no font file is committed) and
// rasterised only for the characters the UI, the survey and the keyboard use.
#pragma once

#include <imgui.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sync/model/expected.hpp"

namespace fk::ui {

struct Fonts {
  ImFont* body = nullptr;    // answers, buttons
  ImFont* title = nullptr;   // questions, headings
  ImFont* small = nullptr;   // hints, progress, counters
  ImFont* button = nullptr;  // bold button labels
  // The atlas keeps pointers into these ranges, so they live as long as the fonts.
  std::shared_ptr<ImVector<ImWchar>> glyph_ranges;
};

// The file fontconfig picks for `pattern` (e.g. "Noto Sans:bold"), if it is the family asked for.
std::optional<std::string> find_font_file(const std::string& pattern);

// Builds the atlas of the current ImGui context for `scale` and exactly the characters in `texts`
// (plus printable ASCII). Returns an error naming the font that could not be found or loaded.
Expected<Fonts> load_fonts(float scale, const std::vector<std::string>& texts);

}  // namespace fk::ui
