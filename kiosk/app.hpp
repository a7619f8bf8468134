// The running kiosk: the visit flow, its store and survey, and the screens, joined for the event loop.
// All state lives here, owned by main and passed in (no file-scope statics).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "kiosk/automation.hpp"
#include "kiosk/flow/visit_flow.hpp"
#include "kiosk/i18n/catalog.hpp"
#include "kiosk/kiosk_config.hpp"
#include "kiosk/survey_source.hpp"
#include "kiosk/ui/canvas.hpp"
#include "kiosk/ui/view_model.hpp"
#include "sync/uploader/uploader.hpp"

namespace fk::kiosk {

using ReloadFonts = std::function<ui::Fonts(const model::SurveyDefinition& survey, const std::string& typed)>;

class App {
 public:
  // `store` may be null (the data directory is unusable): the kiosk then shows "temporarily unavailable".
  // `reload_fonts` rebuilds the atlas for a new survey's characters, plus `typed`: characters residents typed
  // that the atlas lacked (composed Hangul syllables). `catalogs` hold every language's UI translations.
  // `uploader` may be null (not enrolled): no sync mark is shown.
  // `first` is the survey to start with (surveys.initial()); `surveys` is asked for changes between visits.
  App(const KioskConfig& config, store::ResponseStore* store, uploader::Uploader* uploader, SurveySource& surveys,
      std::shared_ptr<const model::SurveyDefinition> first, const i18n::Catalogs& catalogs, ui::Theme theme, ReloadFonts reload_fonts, std::optional<Automation> automation,
      std::function<void(const std::string&)> log);

  void tick(flow::TimePoint now);
  std::optional<flow::TimePoint> next_wakeup(flow::TimePoint now) const;
  // Draws the current screen; returns true when a tap changed the flow. A tap's intent is applied at
  // `touched` (when the finger touched), so the flow's tap guard is not fooled by a slow frame.
  bool draw(flow::TimePoint now, ImVec2 size, std::optional<flow::TimePoint> touched = std::nullopt);
  // After draw: a path when the automation hook wants this frame kept.
  std::optional<std::string> screenshot();

 private:
  std::string screen_key() const;
  // Notes characters a frame drew without a glyph; true when the atlas should be rebuilt with them.
  bool want_glyphs(const std::set<char32_t>& missing);
  void add_sync_mark(ui::ScreenView& view) const;

  uploader::Uploader* uploader_;
  SurveySource& surveys_;
  flow::VisitFlow flow_;
  ui::Theme theme_;
  const i18n::Catalogs& catalogs_;
  ReloadFonts reload_fonts_;
  ui::Fonts fonts_;
  std::optional<Automation> automation_;
  std::function<void(const std::string&)> log_;
  ui::UiState ui_state_;
  ui::FrameRecord record_;
  std::string last_question_;
  flow::TimePoint last_applied_{};  // intents are applied in time order, whatever the touch times say
  std::shared_ptr<const model::SurveyDefinition> fonts_survey_;  // the survey the atlas was built for
  std::string typed_glyphs_;          // characters added to the atlas because a resident typed them
  std::set<char32_t> glyphs_tried_;   // added once each: a character no font has is not retried every frame
  bool glyphs_wanted_ = false;        // the last frame drew a character the atlas lacks: rebuild before the next
};

}  // namespace fk::kiosk
