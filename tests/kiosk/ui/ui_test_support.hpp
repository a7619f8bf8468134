// Headless ImGui frames for screen tests: a real context and font atlas, no window, clicks through io.
#pragma once

#include <imgui.h>

#include <memory>

#include "kiosk/flow/visit_flow.hpp"
#include "kiosk/i18n/catalog.hpp"
#include "kiosk/ui/canvas.hpp"
#include "kiosk/ui/view_model.hpp"
#include "sync/store/memory_response_store.hpp"

namespace fk::test {

class HeadlessUi {
 public:
  explicit HeadlessUi(ImVec2 size = {1920, 1080}, std::shared_ptr<const model::SurveyDefinition> survey = {});
  ~HeadlessUi();

  // One frame of `view`; `press` holds the pointer down at `at` for this frame.
  flow::Intent frame(const ui::ScreenView& view, ImVec2 at = {-1, -1}, bool press = false);
  // Presses and releases on the target's centre over two frames, as a finger would; returns the intent.
  flow::Intent tap(const ui::ScreenView& view, const std::string& target_id);

  const ui::FrameRecord& record() const { return record_; }
  ui::UiState& state() { return state_; }
  const ui::Theme& theme() const { return theme_; }
  const ui::Fonts& fonts() const { return fonts_; }
  const i18n::Catalogs& catalogs() const { return catalogs_; }
  ImVec2 size() const { return size_; }

 private:
  ImVec2 size_;
  ui::Theme theme_;
  i18n::Catalogs catalogs_;  // every language's, from the binary, as the kiosk loads them
  ui::Fonts fonts_;
  ui::FrameRecord record_;
  ui::UiState state_;
};

// The code points of `utf8`; fails the test on a byte sequence that is not UTF-8.
std::vector<char32_t> code_points(const std::string& utf8);

// The lobby survey from assets/, and a flow over it with an in-memory store.
std::shared_ptr<const model::SurveyDefinition> lobby_survey();

// Every question kind (tests/fixtures/surveys/good/all_kinds.toml).
std::shared_ptr<const model::SurveyDefinition> all_kinds_survey();

struct FlowRig {
  store::MemoryResponseStore store;
  flow::TimePoint now{};
  flow::VisitFlow flow;
  explicit FlowRig(std::shared_ptr<const model::SurveyDefinition> survey = lobby_survey());
  ui::ScreenView view() const { return ui::make_view(flow, now); }
};

}  // namespace fk::test
