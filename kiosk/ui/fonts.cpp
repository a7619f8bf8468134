#include "kiosk/ui/fonts.hpp"

#include <fontconfig/fontconfig.h>
#include <imgui_freetype.h>

#include <memory>

namespace fk::ui {
namespace {

// Font sizes at 1080p, in pixels.
constexpr float kBodyPx = 46.0f;
constexpr float kTitlePx = 64.0f;
constexpr float kSmallPx = 34.0f;
constexpr float kButtonPx = 46.0f;

// The characters to rasterise: printable ASCII and Latin-1, plus every character of `texts`.
std::shared_ptr<ImVector<ImWchar>> glyph_ranges(const std::vector<std::string>& texts) {
  ImFontGlyphRangesBuilder builder;
  builder.AddRanges(ImGui::GetIO().Fonts->GetGlyphRangesDefault());
  for (const std::string& text : texts) builder.AddText(text.c_str());
  auto ranges = std::make_shared<ImVector<ImWchar>>();
  builder.BuildRanges(ranges.get());
  return ranges;
}

}  // namespace

std::optional<std::string> find_font_file(const std::string& pattern) {
  if (!FcInit()) return std::nullopt;
  std::unique_ptr<FcPattern, decltype(&FcPatternDestroy)> pat(
      FcNameParse(reinterpret_cast<const FcChar8*>(pattern.c_str())), FcPatternDestroy);
  if (!pat) return std::nullopt;
  FcConfigSubstitute(nullptr, pat.get(), FcMatchPattern);
  FcDefaultSubstitute(pat.get());
  FcResult result = FcResultNoMatch;
  std::unique_ptr<FcPattern, decltype(&FcPatternDestroy)> match(FcFontMatch(nullptr, pat.get(), &result),
                                                                 FcPatternDestroy);
  if (!match) return std::nullopt;
  // fontconfig always answers with something; refuse a different family rather than draw boxes.
  FcChar8* family = nullptr;
  FcChar8* wanted = nullptr;
  FcPatternGetString(pat.get(), FC_FAMILY, 0, &wanted);
  if (FcPatternGetString(match.get(), FC_FAMILY, 0, &family) != FcResultMatch || wanted == nullptr ||
      FcStrCmpIgnoreCase(family, wanted) != 0) {
    return std::nullopt;
  }
  FcChar8* file = nullptr;
  if (FcPatternGetString(match.get(), FC_FILE, 0, &file) != FcResultMatch) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(file));
}

Expected<Fonts> load_fonts(float scale, const std::vector<std::string>& texts) {
  const auto regular = find_font_file("Noto Sans");
  const auto bold = find_font_file("Noto Sans:bold");
  if (!regular || !bold) return Error{"font \"Noto Sans\" not found (install fonts-noto-core)"};

  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  atlas->Clear();
  atlas->FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
  Fonts fonts;
  fonts.glyph_ranges = glyph_ranges(texts);
  const ImWchar* ranges = fonts.glyph_ranges->Data;

  auto add = [&](const std::string& file, float px) {
    ImFontConfig config;
    config.OversampleH = 1;  // FreeType hinting at large sizes needs no oversampling
    return atlas->AddFontFromFileTTF(file.c_str(), px * scale, &config, ranges);
  };
  fonts.body = add(*regular, kBodyPx);
  fonts.title = add(*bold, kTitlePx);
  fonts.small = add(*regular, kSmallPx);
  fonts.button = add(*bold, kButtonPx);
  if (!fonts.body || !fonts.title || !fonts.small || !fonts.button) {
    return Error{"could not load font file " + *regular + " or " + *bold};
  }
  if (!atlas->Build()) return Error{"could not build the font atlas"};
  return fonts;
}

}  // namespace fk::ui
