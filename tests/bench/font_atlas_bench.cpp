// The font atlas with all seven languages against English only, same run: build time, glyph count and
// texture size (what the GPU and, until uploaded, the CPU hold). Also the cost of loading every catalog.
// Run: build/tests/bench/font_atlas_bench [RUNS]
#include <imgui.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "kiosk/i18n/catalog.hpp"
#include "kiosk/i18n/languages.hpp"
#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/glyphs.hpp"
#include "sync/model/survey_parser.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// Resident and peak resident memory of this process, in MiB.
std::pair<double, double> rss_mib() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  double rss = 0, hwm = 0;
  char line[256];
  while (f && std::fgets(line, sizeof line, f)) {
    if (std::strncmp(line, "VmRSS:", 6) == 0) rss = std::strtod(line + 6, nullptr) / 1024;
    if (std::strncmp(line, "VmHWM:", 6) == 0) hwm = std::strtod(line + 6, nullptr) / 1024;
  }
  if (f) std::fclose(f);
  return {rss, hwm};
}

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

struct Build {
  double ms = 0;
  int width = 0, height = 0, glyphs = 0;
};

Build build(const fk::ui::AtlasTexts& texts) {
  const auto t0 = Clock::now();
  auto fonts = fk::ui::load_fonts(1.0f, texts);
  if (!fonts) {
    std::fprintf(stderr, "%s\n", fonts.error().message.c_str());
    std::exit(1);
  }
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  ImGui::GetIO().Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
  Build b{ms_since(t0), w, h, 0};
  for (ImFont* f : {fonts->body, fonts->title, fonts->small, fonts->button}) b.glyphs += f->Glyphs.Size;
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::atoi(argv[1]) : 5;
  ImGui::CreateContext();
  std::printf("RSS at start: %.1f MiB\n", rss_mib().first);
  auto survey = fk::model::load_survey_file(FK_ASSETS "/surveys/lobby.toml");
  if (!survey) return 1;

  auto t0 = Clock::now();
  const auto all =
      fk::i18n::Catalogs::load(fk::i18n::embedded_catalogs(), fk::i18n::supported_tags(),
                               [](const std::string& m) { std::fprintf(stderr, "%s\n", m.c_str()); });
  std::printf("loading %zu catalogs: %.2f ms\n", all.all().size(), ms_since(t0));
  const fk::i18n::Catalogs none;

  fk::model::SurveyDefinition english = *survey;
  for (auto* text : {&english.title, &english.welcome}) text->by_language = {{"en", text->get("en")}};
  for (auto& q : english.questions) {
    for (auto* t : {&q.text, &q.hint, &q.consent_text}) {
      if (!t->by_language.empty()) t->by_language = {{"en", t->get("en")}};
    }
    for (auto& l : q.labels) l.by_language = {{"en", l.get("en")}};
    for (auto& c : q.choices) c.text.by_language = {{"en", c.text.get("en")}};
  }
  const auto seven_texts = fk::ui::atlas_texts(*survey, all);
  const auto english_texts = fk::ui::atlas_texts(english, none);
  for (int i = 0; i < runs; ++i) {
    const Build e = build(english_texts);
    const Build s = build(seven_texts);
    std::printf(
        "run %d: English only %6.1f ms, %5d glyphs, %dx%d | seven languages %6.1f ms, %5d glyphs, %dx%d\n",
        i + 1, e.ms, e.glyphs, e.width, e.height, s.ms, s.glyphs, s.width, s.height);
  }
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // what the OpenGL backend uploads
  const auto [rss, hwm] = rss_mib();
  std::printf("after the builds and the RGBA32 texture: RSS %.1f MiB, peak %.1f MiB\n", rss, hwm);
  ImGui::DestroyContext();
  return 0;
}
