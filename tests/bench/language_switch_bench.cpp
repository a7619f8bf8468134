// Switching language on the attract screen, with all seven languages loaded: the frame that shows the new
// language against frames that change nothing, same run, same window. A switch must not cost more than a
// frame: the catalogs are loaded and the glyphs rasterised at start, so it is a pointer change.
// Run on an X display of the kiosk's size (or SDL_VIDEODRIVER=offscreen):
//   xvfb-run -a -s "-screen 0 1920x1080x24" build/tests/bench/language_switch_bench [ROUNDS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "support/screen_window.hpp"
#include "sync/store/memory_response_store.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 10;
  fk::test_support::ScreenWindow screens(FK_ASSETS "/surveys/lobby.toml");
  fk::store::MemoryResponseStore store;
  fk::flow::FlowDeps deps;
  deps.store = &store;
  fk::flow::VisitFlow flow(screens.survey(), fk::flow::FlowConfig{}, deps);
  const auto now = Clock::now();
  for (int i = 0; i < 5; ++i) screens.draw(flow, now);  // warm up: shaders, caches

  std::vector<double> steady, switched;
  const auto tags = fk::i18n::supported_tags();
  for (int round = 0; round < rounds; ++round) {
    for (const std::string& tag : tags) {
      // A frame that changes nothing, then the frame after a tap on the language: both timed from the start
      // of the frame to the end of its buffer swap.
      auto t0 = Clock::now();
      screens.draw(flow, now, std::nullopt);
      steady.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      t0 = Clock::now();
      flow.apply(fk::flow::ChooseLanguage{tag}, now);
      const auto& record = screens.draw(flow, now, std::nullopt);
      switched.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      const auto* chosen = record.find("lang-" + tag);
      if (chosen == nullptr || !chosen->selected) {
        std::fprintf(stderr, "the frame after choosing %s does not show it chosen\n", tag.c_str());
        return 1;
      }
    }
  }
  const double s = median(steady), w = median(switched);
  std::printf(
      "attract screen, %zu frames each: steady frame median %.2f ms, frame after a language switch "
      "median %.2f ms (%.2fx); the new language is on the first frame after the tap\n",
      steady.size(), s, w, w / s);
  return 0;
}
