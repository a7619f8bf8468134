#include "kiosk/ui/fonts.hpp"

#include <fcntl.h>
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <imgui_freetype.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <memory>

#include "kiosk/ui/bidi.hpp"

namespace fk::ui {
namespace {

// Font sizes at 1080p, in pixels (ImGui's size: the Latin font's ascent − descent).
constexpr float kBodyPx = 46.0f;
constexpr float kTitlePx = 64.0f;
constexpr float kSmallPx = 34.0f;
constexpr float kButtonPx = 46.0f;

// The scripts, merged in this order: a character comes from the first face that has it.
enum Script { kLatin, kArabic, kCjk, kScriptCount };
constexpr std::array<const char*, kScriptCount> kFamilies = {"Noto Sans", "Noto Sans Arabic",
                                                             "Noto Sans CJK SC"};
constexpr std::array<const char*, kScriptCount> kPackages = {"fonts-noto-core", "fonts-noto-core",
                                                             "fonts-noto-cjk"};

// A read-only mapping of a font file: FreeType reads only the tables and glyphs it needs, so the pages of a
// 20 MB CJK collection that are never touched cost no memory.
class MappedFile {
 public:
  static std::unique_ptr<MappedFile> open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return nullptr;
    struct stat st {};
    void* data = MAP_FAILED;
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
      data = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    }
    ::close(fd);
    if (data == MAP_FAILED) return nullptr;
    // Glyphs are read here and there across the file: without this, readahead and fault-around map in most
    // of a 20 MB CJK collection to read a few hundred glyphs.
    ::madvise(data, static_cast<std::size_t>(st.st_size), MADV_RANDOM);
    return std::unique_ptr<MappedFile>(new MappedFile(data, static_cast<std::size_t>(st.st_size)));
  }
  ~MappedFile() { ::munmap(data_, size_); }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  void* data() const { return data_; }
  int size() const { return static_cast<int>(size_); }

 private:
  MappedFile(void* data, std::size_t size) : data_(data), size_(size) {}
  void* data_;
  std::size_t size_;
};

// (ascent − descent) / em of a face: ImGui sizes a font by that, so faces with taller line metrics come out
// smaller at the same size unless scaled by the ratio (Noto Sans 1.362, Arabic 2.112, CJK 1.448).
float line_to_em(const MappedFile& file, int index) {
  FT_Library library = nullptr;
  if (FT_Init_FreeType(&library) != 0) return 1.0f;
  FT_Face face = nullptr;
  float ratio = 1.0f;
  if (FT_New_Memory_Face(library, static_cast<const FT_Byte*>(file.data()), file.size(), index, &face) == 0) {
    if (face->units_per_EM > 0) {
      ratio = static_cast<float>(face->ascender - face->descender) / static_cast<float>(face->units_per_EM);
    }
    FT_Done_Face(face);
  }
  FT_Done_FreeType(library);
  return ratio;
}

}  // namespace

class FontFiles {
 public:
  struct Loaded {
    std::unique_ptr<MappedFile> file;
    int index = 0;
    float line_to_em = 1.0f;
  };
  // [script][0 regular, 1 bold]; a null file: not installed.
  std::array<std::array<Loaded, 2>, kScriptCount> faces;
  std::vector<std::string> warnings;
};

std::optional<FontFace> find_font(const std::string& pattern) {
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
  bool same_family = false;
  for (int i = 0;
       wanted != nullptr && FcPatternGetString(match.get(), FC_FAMILY, i, &family) == FcResultMatch; ++i) {
    if (FcStrCmpIgnoreCase(family, wanted) == 0) same_family = true;  // a .ttc face lists several names
  }
  if (!same_family) return std::nullopt;
  FcChar8* file = nullptr;
  if (FcPatternGetString(match.get(), FC_FILE, 0, &file) != FcResultMatch) return std::nullopt;
  int index = 0;
  FcPatternGetInteger(match.get(), FC_INDEX, 0, &index);
  return FontFace{std::string(reinterpret_cast<const char*>(file)), index};
}

namespace {

std::shared_ptr<const FontFiles> open_font_files() {
  auto files = std::make_shared<FontFiles>();
  for (int script = 0; script < kScriptCount; ++script) {
    for (int bold = 0; bold < 2; ++bold) {
      const std::string pattern = std::string(kFamilies[script]) + (bold ? ":bold" : "");
      const auto face = find_font(pattern);
      if (!face) {
        files->warnings.push_back(std::string("font \"") + pattern + "\" not found (install " +
                                  kPackages[script] + ")");
        continue;
      }
      auto& loaded = files->faces[script][bold];
      loaded.file = MappedFile::open(face->file);
      if (!loaded.file) {
        files->warnings.push_back("could not read font file " + face->file);
        continue;
      }
      loaded.index = face->index;
      loaded.line_to_em = line_to_em(*loaded.file, face->index);
    }
  }
  return files;
}

// The characters to rasterise: printable ASCII, every character of `texts` as given and as drawn, and, for
// typing, `extra` and (with `typing`) all Arabic presentation forms (what typed Arabic turns into once shaped).
std::shared_ptr<ImVector<ImWchar>> glyph_ranges(const std::vector<std::string>& texts,
                                                const std::string& extra, bool typing) {
  ImFontGlyphRangesBuilder builder;
  for (ImWchar c = 0x20; c < 0x7F; ++c) builder.AddChar(c);
  auto add = [&](const std::string& text) {
    builder.AddText(text.c_str(), text.c_str() + text.size());
    if (bidi::has_rtl(text)) {
      const std::string shown = bidi::visual(text, bidi::Base::Auto);
      builder.AddText(shown.c_str(), shown.c_str() + shown.size());
    }
  };
  for (const std::string& text : texts) add(text);
  add(extra);
  if (typing) {
    for (ImWchar c = 0xFE70; c <= 0xFEFC; ++c) builder.AddChar(c);  // Arabic presentation forms-B
  }
  auto ranges = std::make_shared<ImVector<ImWchar>>();
  builder.BuildRanges(ranges.get());
  return ranges;
}

}  // namespace

Expected<Fonts> load_fonts(float scale, const AtlasTexts& texts, std::shared_ptr<const FontFiles> files,
                           ImFontAtlas* atlas) {
  if (!files) files = open_font_files();
  const auto& latin = files->faces[kLatin];
  if (!latin[0].file || !latin[1].file) {
    return Error{"font \"Noto Sans\" not found (install fonts-noto-core)"};
  }

  if (atlas == nullptr) atlas = ImGui::GetIO().Fonts;
  atlas->Clear();
  atlas->FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
  atlas->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;  // the texture as tall as the glyphs need, no more
  Fonts fonts;
  fonts.scale = scale;
  fonts.files = files;
  fonts.warnings = files->warnings;
  const auto shown_only = glyph_ranges(texts.texts, {}, false);         // titles, bold buttons
  const auto with_keys = glyph_ranges(texts.texts, texts.keys, false);  // hints, counters, special keys
  const auto typing = glyph_ranges(texts.texts, texts.keys + texts.typed, true);  // answers, keys, typed text
  fonts.glyph_ranges = {shown_only, with_keys, typing};

  // One merged font per size: Latin first (its metrics set the line), then Arabic and CJK scaled so that an
  // em is the same size in every script.
  auto add = [&](float px, int bold, const ImWchar* ranges) -> ImFont* {
    ImFont* font = nullptr;
    for (int script = 0; script < kScriptCount; ++script) {
      const auto& face = files->faces[script][bold];
      if (!face.file) continue;
      ImFontConfig config;
      config.OversampleH = 1;  // large sizes need no oversampling
      // No hinting: at 34-64 px it changes nothing visible, and TrueType bytecode hinting was half of the
      // atlas build time (callgrind: TT_RunIns 49% of instructions).
      config.FontBuilderFlags = ImGuiFreeTypeBuilderFlags_NoHinting;
      // ImGui 1.86 copies font data it does not own (AddFont: 20 MB per CJK face and size, reading every page
      // of the mapping). Claiming ownership skips the copy; giving it back right after means ImGui never
      // frees our read-only mapping.
      config.FontDataOwnedByAtlas = true;
      config.FontNo = face.index;
      config.MergeMode = font != nullptr;
      const float size = px * scale * face.line_to_em / latin[bold].line_to_em;
      ImFont* added =
          atlas->AddFontFromMemoryTTF(face.file->data(), face.file->size(), size, &config, ranges);
      atlas->ConfigData.back().FontDataOwnedByAtlas = false;
      if (font == nullptr) font = added;
    }
    return font;
  };
  fonts.body = add(kBodyPx, 0, typing->Data);
  fonts.title = add(kTitlePx, 1, shown_only->Data);
  fonts.small = add(kSmallPx, 0, with_keys->Data);
  fonts.button = add(kButtonPx, 1, shown_only->Data);
  if (!fonts.body || !fonts.title || !fonts.small || !fonts.button) {
    return Error{"could not load the Noto Sans fonts"};
  }
  if (!atlas->Build()) return Error{"could not build the font atlas"};
  return fonts;
}

}  // namespace fk::ui
