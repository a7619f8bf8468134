#include "ui_test_support.hpp"

#include <imgui_internal.h>  // ImTextCharFromUtf8

#include <catch2/catch.hpp>

#include "kiosk/i18n/languages.hpp"
#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/glyphs.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "sync/model/survey_parser.hpp"

namespace fk::test {

std::vector<char32_t> code_points(const std::string& utf8) {
  std::vector<char32_t> out;
  const char* s = utf8.c_str();
  const char* end = s + utf8.size();
  while (s < end) {
    unsigned int c = 0;
    const int n = ImTextCharFromUtf8(&c, s, end);
    if (n <= 0) FAIL("not UTF-8: " << utf8);
    s += n;
    out.push_back(static_cast<char32_t>(c));
  }
  return out;
}

std::shared_ptr<const model::SurveyDefinition> lobby_survey() {
  auto survey = model::load_survey_file(FK_ASSETS "/surveys/lobby.toml");
  REQUIRE(survey.ok());
  return std::make_shared<const model::SurveyDefinition>(std::move(survey.value()));
}

std::shared_ptr<const model::SurveyDefinition> all_kinds_survey() {
  auto survey = model::load_survey_file(FK_FIXTURES "/surveys/good/all_kinds.toml");
  REQUIRE(survey.ok());
  return std::make_shared<const model::SurveyDefinition>(std::move(survey.value()));
}

namespace {
flow::FlowConfig without_tap_guard() {
  flow::FlowConfig config;
  config.tap_guard = flow::Millis{0};      // the rig applies intents at one instant
  config.min_read_time = flow::Millis{0};  // so the rules against mashing are off too
  config.quick_run = 0;
  config.send_delay = flow::Millis{0};
  config.still_there_guard = flow::Millis{0};
  return config;
}
}  // namespace

flow::FlowDeps deps_for(store::ResponseStore& store) {
  flow::FlowDeps deps;
  deps.store = &store;
  return deps;
}

FlowRig::FlowRig(std::shared_ptr<const model::SurveyDefinition> survey)
    : flow(std::move(survey), without_tap_guard(), deps_for(store)) {}

HeadlessUi::HeadlessUi(ImVec2 size, std::shared_ptr<const model::SurveyDefinition> survey)
    : size_(size), theme_(ui::Theme::for_display(size)) {
  if (!survey) survey = lobby_survey();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = size;
  io.DeltaTime = 1.0f / 60.0f;
  catalogs_ = i18n::Catalogs::load(i18n::embedded_catalogs(), i18n::supported_tags(),
                                   [](const std::string& m) { FAIL(m); });
  auto fonts = ui::load_fonts(theme_.scale, ui::atlas_texts(*survey, catalogs_));
  REQUIRE(fonts.ok());
  fonts_ = fonts.value();
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // what a renderer would upload
}

HeadlessUi::~HeadlessUi() {
  ImGui::DestroyContext();
}

flow::Intent HeadlessUi::frame(const ui::ScreenView& view, ImVec2 at, bool press) {
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = at;
  io.MouseDown[0] = press;
  ImGui::NewFrame();
  ui::Canvas canvas{theme_, fonts_, size_, record_};
  ui::set_language(canvas, catalogs_, view.language);
  flow::Intent intent = ui::draw_screen(canvas, view, state_);
  ImGui::Render();
  return intent;
}

flow::Intent HeadlessUi::tap(const ui::ScreenView& view, const std::string& target_id) {
  frame(view);  // lay out, so the target exists
  const ui::TouchTarget* target = record_.find(target_id);
  REQUIRE(target != nullptr);
  const ImVec2 at = target->center();
  frame(view, at, true);
  return frame(view, at, false);  // ImGui reports a button on release over it
}

}  // namespace fk::test
