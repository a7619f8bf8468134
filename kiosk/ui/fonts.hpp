// The kiosk's fonts: found with fontconfig among Debian's Noto packages (no font file is committed), merged into
// one ImGui font per size (Latin and Vietnamese, then Arabic, then CJK for Chinese and Korean), and rasterised
// only for the characters the UI, the surveys and the keyboards use.
#pragma once

#include <imgui.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sync/model/expected.hpp"

namespace fk::ui {

// A font face as fontconfig found it: a file, and the face's index inside a collection (.ttc).
struct FontFace {
  std::string file;
  int index = 0;
};

// The face fontconfig picks for `pattern` (e.g. "Noto Sans CJK SC:bold"), if it is the family asked for.
std::optional<FontFace> find_font(const std::string& pattern);

// The characters each font needs. Every font draws `texts` (UI messages, survey strings, language names);
// keyboard keys are drawn in the body and small fonts; what residents type, in the body font only.
struct AtlasTexts {
  std::vector<std::string> texts;
  std::string keys;
  std::string typed;
};

class FontFiles;  // the font files, mapped read-only and shared by every atlas build

struct Fonts {
  ImFont* body = nullptr;    // answers, buttons
  ImFont* title = nullptr;   // questions, headings
  ImFont* small = nullptr;   // hints, progress, counters
  ImFont* button = nullptr;  // bold button labels
  // The atlas keeps pointers into these ranges and into the mapped files, so they live as long as the fonts.
  std::vector<std::shared_ptr<ImVector<ImWchar>>> glyph_ranges;
  std::shared_ptr<const FontFiles> files;
  std::vector<std::string> warnings;  // a script whose font is missing (its text would show boxes)
  float scale = 1.0f;                 // the display scale the sizes were rasterised for
};

// Builds `atlas` (the current ImGui context's by default; any atlas, on any thread, otherwise) for `scale` and exactly the characters in `texts` (plus
// printable ASCII), each font only what it draws (see AtlasTexts). Texts are added as given and, when they hold
// Arabic, also as drawn (shaped forms); the body font also gets every Arabic presentation form, for typing.
// `files` may come from an earlier Fonts, so a rebuild does not look up or map the files again.
// An error names the font that could not be found or loaded (Noto Sans is required; Arabic and CJK faces
// that are missing give warnings).
Expected<Fonts> load_fonts(float scale, const AtlasTexts& texts,
                           std::shared_ptr<const FontFiles> files = nullptr, ImFontAtlas* atlas = nullptr);

}  // namespace fk::ui
