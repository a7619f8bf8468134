// A real kiosk window (SDL2 + OpenGL3 + ImGui) with the lobby survey, every language's catalog and the font
// atlas the kiosk builds, for tests and benchmarks that draw screens without the whole app: draws the flow's
// screen as the app does and can keep a frame as PNG. Header-only; link fk_test_support_screens.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "kiosk/flow/visit_flow.hpp"
#include "kiosk/i18n/languages.hpp"
#include "kiosk/platform/window.hpp"
#include "kiosk/ui/glyphs.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "sync/model/survey_parser.hpp"

namespace fk::test_support {

class ScreenWindow {
 public:
  // `typed`: characters residents will type that the atlas should hold from the start.
  explicit ScreenWindow(const std::string& survey_file, const std::string& typed = {}) {
    auto window = platform::Window::open({false, 1920, 1080, "screens"});
    if (!window) throw std::runtime_error(window.error().message);
    window_ = std::move(window.value());
    auto survey = model::load_survey_file(survey_file);
    if (!survey) throw std::runtime_error("cannot load " + survey_file);
    survey_ = std::make_shared<const model::SurveyDefinition>(std::move(survey.value()));
    catalogs_ = i18n::Catalogs::load(i18n::embedded_catalogs(), i18n::supported_tags(),
                                     [this](const std::string& m) { catalog_log_ += m + "\n"; });
    theme_ = ui::Theme::for_display(window_->size());
    auto fonts = ui::load_fonts(theme_.scale, ui::atlas_texts(*survey_, catalogs_, typed));
    if (!fonts) throw std::runtime_error(fonts.error().message);
    fonts_ = fonts.value();
    window_->upload_fonts();
  }

  const std::shared_ptr<const model::SurveyDefinition>& survey() const { return survey_; }
  const ui::Fonts& fonts() const { return fonts_; }
  const std::string& catalog_log() const { return catalog_log_; }  // empty when every catalog loaded
  ui::UiState& state() { return state_; }  // what the screens keep between frames (a question asked, a layer)

  // One frame of the flow's screen, drawn and rendered as the app does; kept as `png` when given.
  const ui::FrameRecord& draw(const flow::VisitFlow& flow, flow::TimePoint now,
                              const std::optional<std::string>& png = std::nullopt) {
    return draw(ui::make_view(flow, now), png);
  }
  // One frame of a view the app would fill further (the help overlay, the closed screen).
  const ui::FrameRecord& draw(const ui::ScreenView& view,
                              const std::optional<std::string>& png = std::nullopt) {
    window_->begin_frame();
    record_ = ui::FrameRecord{};
    ui::Canvas canvas{theme_, fonts_, window_->size(), record_};
    ui::set_language(canvas, catalogs_, view.language);
    ui::draw_screen(canvas, view, state_);
    if (!window_->end_frame(png)) throw std::runtime_error("cannot render a frame");
    if (png) window_->flush_screenshots();
    return record_;
  }
  // One frame of a staff screen (English, as the app draws them).
  const ui::FrameRecord& draw(const ui::StaffView& view,
                              const std::optional<std::string>& png = std::nullopt) {
    window_->begin_frame();
    record_ = ui::FrameRecord{};
    ui::Canvas canvas{theme_, fonts_, window_->size(), record_};
    ui::set_language(canvas, catalogs_, "en");
    ui::draw_staff_screen(canvas, view, state_);
    if (!window_->end_frame(png)) throw std::runtime_error("cannot render a frame");
    if (png) window_->flush_screenshots();
    return record_;
  }

 private:
  std::unique_ptr<platform::Window> window_;
  std::shared_ptr<const model::SurveyDefinition> survey_;
  i18n::Catalogs catalogs_;
  std::string catalog_log_;
  ui::Theme theme_;
  ui::Fonts fonts_;
  ui::FrameRecord record_;
  ui::UiState state_;
};

}  // namespace fk::test_support
