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
#include "kiosk/site/site_clock.hpp"
#include "kiosk/staff/hold_gesture.hpp"
#include "kiosk/staff/staff_desk.hpp"
#include "kiosk/survey_source.hpp"
#include "kiosk/ui/canvas.hpp"
#include "kiosk/ui/view_model.hpp"
#include "sync/uploader/uploader.hpp"

namespace fk::kiosk {

// Builds the font atlas at `scale` (the theme's) for a survey's characters plus `typed` (characters residents
// typed that the atlas lacked); an Error when no font could be loaded (the atlas is then unusable: nothing
// more may be drawn).
using ReloadFonts = std::function<Expected<ui::Fonts>(const model::SurveyDefinition& survey,
                                                      const std::string& typed, float scale)>;

class App {
 public:
  // `store` may be null (the data directory is unusable): the kiosk then shows "temporarily unavailable".
  // `fonts` is the atlas built for `first`; `reload_fonts` rebuilds it for a new survey's characters, plus
  // characters residents typed that it lacked (composed Hangul syllables). `catalogs` hold every language's
  // UI translations. `uploader` may be null (not enrolled): no sync mark is shown. `wake` wakes the loop
  // from another thread (a staff PIN checked): thread-safe and quick.
  // `first` is the survey to start with (surveys.initial()); `surveys` is asked for changes between visits.
  App(const KioskConfig& config, store::ResponseStore* store, uploader::Uploader* uploader,
      SurveySource& surveys, std::shared_ptr<const model::SurveyDefinition> first,
      const i18n::Catalogs& catalogs, ui::Theme theme, ui::Fonts fonts, ReloadFonts reload_fonts,
      std::optional<Automation> automation, std::function<void(const std::string&)> log,
      std::function<void()> wake);

  // The drawable's size, before each tick: a size with another scale (an output of another resolution, a
  // resized window) lays everything out again, and the next tick rebuilds the fonts at the new scale.
  void resize(ImVec2 size);
  // An Error when the font atlas could not be rebuilt: the loop must stop without drawing another frame.
  Expected<Ok> tick(flow::TimePoint now);
  std::optional<flow::TimePoint> next_wakeup(flow::TimePoint now) const;
  // Draws the current screen; returns true when a tap changed the flow. A tap's intent is applied at
  // `touched` (when the finger touched), so the flow's tap guard is not fooled by a slow frame.
  bool draw(flow::TimePoint now, ImVec2 size, std::optional<flow::TimePoint> touched = std::nullopt);
  // After draw: a path when the automation hook wants this frame kept.
  std::optional<std::string> screenshot();
  // Staff confirmed "Leave kiosk mode" on the staff screen: the loop ends and the app exits with
  // kExitLeftKioskMode (10), which the unit does not restart.
  bool wants_exit() const { return desk_ && desk_->wants_exit(); }

 private:
  // The hidden staff entry (a long press in the top-left corner) and the staff screens, drawn instead of
  // the resident's while the desk is active. Returns true when it changed something.
  bool draw_staff(flow::TimePoint now, ImVec2 size);
  std::string screen_key() const;
  // Notes characters a frame drew without a glyph; true when the atlas should be rebuilt with them.
  bool want_glyphs(const std::set<char32_t>& missing);
  void add_sync_mark(ui::ScreenView& view) const;
  // Opening hours and the help overlay, around the visit (the flow itself knows nothing of them).
  void add_site(ui::ScreenView& view) const;
  bool handle_request(ui::KioskRequest request, flow::TimePoint now);
  bool between_visits() const { return flow_.screen() == flow::Screen::Attract; }

  uploader::Uploader* uploader_;
  SurveySource& surveys_;
  flow::VisitFlow flow_;
  ui::Theme theme_;
  ImVec2 display_{0, 0};  // the drawable's size at the latest resize(); reported to the automation hook
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
  std::string typed_glyphs_;         // characters added to the atlas because a resident typed them
  std::set<char32_t> glyphs_tried_;  // added once each: a character no font has is not retried every frame
  bool glyphs_wanted_ = false;  // the last frame drew a character the atlas lacks: rebuild before the next

  staff::HoldGesture hold_;
  std::unique_ptr<staff::StaffDesk> desk_;
  ui::UiState staff_ui_;  // the staff keyboard's Shift and layer

  site::SiteClock site_;
  ScopeTexts scope_;
  bool redraw_ = false;  // tick() opened or closed the kiosk: draw it now
};

}  // namespace fk::kiosk
