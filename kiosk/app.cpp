#include "kiosk/app.hpp"

#include <algorithm>

#include "kiosk/i18n/languages.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "sync/model/utf8.hpp"

namespace fk::kiosk {
namespace {

// How often an idle attract screen looks for a changed survey file (only when one is configured).
constexpr auto kSurveyCheckInterval = std::chrono::seconds(30);

flow::FlowDeps deps(store::ResponseStore* store, uploader::Uploader* uploader,
                    std::function<void(const std::string&)> log) {
  flow::FlowDeps d;
  d.store = store;
  d.log_error = std::move(log);
  if (uploader) d.on_saved = [uploader] { uploader->notify_new_response(); };
  return d;
}

}  // namespace

App::App(const KioskConfig& config, store::ResponseStore* store, uploader::Uploader* uploader, SurveySource& surveys,
         std::shared_ptr<const model::SurveyDefinition> first, const i18n::Catalogs& catalogs, ui::Theme theme, ReloadFonts reload_fonts,
         std::optional<Automation> automation, std::function<void(const std::string&)> log)
    : uploader_(uploader),
      surveys_(surveys),
      flow_(std::move(first), config.flow, deps(store, uploader, log)),
      theme_(theme),
      catalogs_(catalogs),
      reload_fonts_(std::move(reload_fonts)),
      automation_(std::move(automation)),
      log_(std::move(log)) {
  log_("survey: " + flow_.survey().id + " version " + std::to_string(flow_.survey().version) + " from " +
       surveys_.origin());
  fonts_ = reload_fonts_(flow_.survey(), typed_glyphs_);
  fonts_survey_ = flow_.survey_ptr();
}

void App::tick(flow::TimePoint now) {
  if (flow_.screen() == flow::Screen::Attract) {
    // Between visits only: a survey changed on disk takes effect for the next resident.
    if (auto survey = surveys_.reload_if_changed()) flow_.set_survey(std::move(survey));
  }
  flow_.tick(now);
  // Between frames only: the atlas cannot change while a frame is being built.
  if (fonts_survey_ != flow_.survey_ptr() || glyphs_wanted_) {
    fonts_ = reload_fonts_(flow_.survey(), typed_glyphs_);  // a new survey or typed text brings new characters
    fonts_survey_ = flow_.survey_ptr();
    if (glyphs_wanted_) {
      log_("font atlas rebuilt with " + std::to_string(glyphs_tried_.size()) + " typed character(s) it lacked");
    }
    glyphs_wanted_ = false;
  }
}

std::optional<flow::TimePoint> App::next_wakeup(flow::TimePoint now) const {
  auto wake = flow_.next_wakeup(now);
  if (!wake && flow_.screen() == flow::Screen::Attract && surveys_.watches_a_file()) wake = now + kSurveyCheckInterval;
  return wake;
}

bool App::draw(flow::TimePoint now, ImVec2 size, std::optional<flow::TimePoint> touched) {
  ui::ScreenView view = ui::make_view(flow_, now);
  add_sync_mark(view);
  const std::string question = view.question ? view.question->id : "";
  if (question != last_question_) ui_state_ = ui::UiState{};  // each text box starts in lower case
  last_question_ = question;
  ui::Canvas canvas{theme_, fonts_, size, record_};
  ui::set_language(canvas, catalogs_, view.language);
  const flow::Intent intent = ui::draw_screen(canvas, view, ui_state_);
  const bool new_glyphs = want_glyphs(record_.missing_glyphs);
  if (flow::is_none(intent)) return new_glyphs;
  last_applied_ = std::max(last_applied_, std::min(touched.value_or(now), now));
  flow_.apply(intent, last_applied_);
  return true;
}

bool App::want_glyphs(const std::set<char32_t>& missing) {
  for (char32_t c : missing) {
    if (!glyphs_tried_.insert(c).second) continue;
    model::utf8_append(typed_glyphs_, c);
    glyphs_wanted_ = true;
  }
  return glyphs_wanted_;
}

void App::add_sync_mark(ui::ScreenView& view) const {
  if (uploader_ == nullptr) return;
  // The uploader's latest immutable snapshot; its thread woke this loop when it published it.
  const auto status = uploader_->status();
  view.sync_pending = status->pending;
  switch (status->state) {
    case uploader::SyncState::NotConfigured: view.sync = ui::SyncMark::None; break;
    case uploader::SyncState::NotAuthorised: view.sync = ui::SyncMark::Attention; break;
    case uploader::SyncState::Offline: view.sync = ui::SyncMark::Offline; break;
    case uploader::SyncState::Idle:
    case uploader::SyncState::Sending:
      view.sync = status->pending > 0 ? ui::SyncMark::Pending : ui::SyncMark::Delivered;
      break;
  }
  if (status->quarantined > 0) view.sync = ui::SyncMark::Attention;
}

std::string App::screen_key() const {
  std::string key = record_.screen;
  if (record_.screen == "question" && !last_question_.empty()) key += "-" + last_question_;
  return key;
}

std::optional<std::string> App::screenshot() {
  if (!automation_) return std::nullopt;
  return automation_->frame_drawn(record_, screen_key());
}

}  // namespace fk::kiosk
