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

App::App(const KioskConfig& config, store::ResponseStore* store, uploader::Uploader* uploader,
         SurveySource& surveys, std::shared_ptr<const model::SurveyDefinition> first,
         const i18n::Catalogs& catalogs, ui::Theme theme, ui::Fonts fonts, ReloadFonts reload_fonts,
         std::optional<Automation> automation, std::function<void(const std::string&)> log,
         std::function<void()> wake)
    : uploader_(uploader),
      surveys_(surveys),
      flow_(std::move(first), config.flow, deps(store, uploader, log)),
      theme_(theme),
      catalogs_(catalogs),
      reload_fonts_(std::move(reload_fonts)),
      fonts_(std::move(fonts)),
      automation_(std::move(automation)),
      log_(std::move(log)),
      site_(config.hours),
      scope_(config.scope) {
  log_("survey: " + flow_.survey().id + " version " + std::to_string(flow_.survey().version) + " from " +
       surveys_.origin());
  fonts_survey_ = flow_.survey_ptr();
  hold_ = staff::HoldGesture(theme_.scale);
  staff::DeskDeps desk_deps;
  desk_deps.data_dir = config.data_dir;
  desk_deps.store = store;
  desk_deps.uploader = uploader;
  desk_deps.surveys = &surveys_;
  desk_deps.log = log_;
  desk_deps.wake = std::move(wake);
  staff::DeskHooks hooks;
  hooks.set_survey = [this](std::shared_ptr<const model::SurveyDefinition> s) {
    flow_.set_survey(std::move(s));
  };
  hooks.set_event = [this](const std::string& event) { flow_.set_event(event); };
  hooks.set_default_language = [this](const std::string& tag) { flow_.set_default_language(tag); };
  hooks.active_survey = [this]() -> const model::SurveyDefinition& { return flow_.survey(); };
  desk_ = std::make_unique<staff::StaffDesk>(std::move(desk_deps), std::move(hooks));
  desk_->restore();
}

bool App::draw_staff(flow::TimePoint now, ImVec2 size) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.MouseDown[0]) desk_->touched(now);
  ui::Canvas canvas{theme_, fonts_, size, record_};
  ui::set_language(canvas, catalogs_, "en");  // staff screens are English, left to right
  const ui::StaffView view = desk_->view();
  const ui::StaffIntent intent = ui::draw_staff_screen(canvas, view, staff_ui_);
  const bool new_glyphs = want_glyphs(record_.missing_glyphs);
  if (hold_.swallowing() || std::holds_alternative<std::monostate>(intent)) return new_glyphs;
  desk_->apply(intent, now);
  if (!desk_->active()) staff_ui_ = ui::UiState{};
  return true;
}

void App::resize(ImVec2 size) {
  if (size.x == display_.x && size.y == display_.y) return;
  display_ = size;
  const ui::Theme theme = ui::Theme::for_display(size);
  if (theme.scale == theme_.scale) return;
  log_("display " + std::to_string(static_cast<int>(size.x)) + "x" +
       std::to_string(static_cast<int>(size.y)) + ": laying out again at scale " +
       std::to_string(theme.scale));
  theme_ = theme;
  hold_ = staff::HoldGesture(theme_.scale);  // a hidden press under way starts again: resizes are rare
  redraw_ = true;
}

Expected<Ok> App::tick(flow::TimePoint now) {
  desk_->tick(now);
  if (between_visits()) {
    // Between visits only: a survey changed on disk takes effect for the next resident.
    if (auto survey = surveys_.reload_if_changed()) flow_.set_survey(std::move(survey));
  }
  flow_.tick(site_.visit_time(now));
  // After the flow: a visit that just ended meets closing time on the attract screen it returned to.
  if (const bool was_closed = site_.closed(); site_.tick(now, between_visits())) {
    redraw_ = true;  // the wall clock crossed the change after the loop judged its timer: draw now
    log_(was_closed ? "opening hours: open" : "opening hours: closed");
  }
  // Between frames only: the atlas cannot change while a frame is being built.
  // New survey or typed text: new characters; a new scale: new pixel sizes.
  if (fonts_survey_ != flow_.survey_ptr() || glyphs_wanted_ || fonts_.scale != theme_.scale) {
    auto fonts = reload_fonts_(flow_.survey(), typed_glyphs_, theme_.scale);
    if (!fonts) return Error{"the font atlas could not be rebuilt: " + fonts.error().message};
    fonts_ = std::move(fonts.value());
    fonts_survey_ = flow_.survey_ptr();
    if (glyphs_wanted_) {
      log_("font atlas rebuilt with " + std::to_string(glyphs_tried_.size()) +
           " typed character(s) it lacked");
    }
    glyphs_wanted_ = false;
  }
  return Ok{};
}

std::optional<flow::TimePoint> App::next_wakeup(flow::TimePoint now) const {
  auto earliest = [](std::optional<flow::TimePoint> a, std::optional<flow::TimePoint> b) {
    if (!a) return b;
    if (!b) return a;
    return std::optional(std::min(*a, *b));
  };
  // The visit's next timeout, from its clock (held while help was open) back to real time.
  auto visit_wake = [&]() -> std::optional<flow::TimePoint> {
    const auto wake = flow_.next_wakeup(site_.visit_time(now));
    if (!wake) return std::nullopt;
    return site_.real_time(*wake, now);
  };
  // The hidden staff press under way, the staff screens' timeouts, an event's end time.
  const auto staff_wake = earliest(hold_.deadline(), desk_->next_wakeup(now));
  if (desk_->active()) return earliest(staff_wake, visit_wake());
  if (redraw_) return now;
  const auto site_wake = site_.next_wakeup(now, between_visits());
  // Closed, or help open (the visit's clock held): only the site's own timers are due.
  if (site_.closed() || site_.help_open()) return earliest(staff_wake, site_wake);
  auto wake = visit_wake();
  if (!wake && between_visits() && surveys_.watches_a_file()) wake = now + kSurveyCheckInterval;
  return earliest(earliest(wake, site_wake), staff_wake);
}

bool App::handle_request(ui::KioskRequest request, flow::TimePoint now) {
  switch (request) {
    case ui::KioskRequest::None:
      return false;
    case ui::KioskRequest::OpenHelp:
      return site_.open_help(now);
    case ui::KioskRequest::CloseHelp:
      site_.close_help(now);
      return true;
    case ui::KioskRequest::Wake:
      site_.wake(now);
      return true;
  }
  return false;
}

void App::add_site(ui::ScreenView& view) const {
  auto in_language = [&](const std::map<std::string, std::string>& texts) {
    const auto it = texts.find(view.language);
    return it == texts.end() ? std::string() : it->second;  // empty: the catalog's text in this language
  };
  view.help_text = in_language(scope_.help);
  view.complaints_text = in_language(scope_.complaints);
  view.note_readers_text = in_language(scope_.note_readers);
  view.help_open = site_.help_open();
  if (!site_.closed()) return;
  ui::ClosedView closed;
  closed.awake = site_.awake();
  if (const auto opens = site_.opens_at()) {
    closed.opens_weekday = opens->weekday;
    closed.opens_minute = opens->minute;
  }
  view.closed = closed;
}

bool App::draw(flow::TimePoint now, ImVec2 size, std::optional<flow::TimePoint> touched) {
  // The hidden staff entry works on every resident screen; the press itself lands on nothing (the corner
  // holds no target) and is swallowed until released.
  const ImGuiIO& io = ImGui::GetIO();
  if (hold_.update(io.MouseDown[0], io.MousePos.x, io.MousePos.y, now) && !desk_->active()) {
    desk_->open_pin_pad(now);
    staff_ui_ = ui::UiState{};
    log_("staff PIN pad opened");
  }
  if (desk_->active()) return draw_staff(now, size);
  redraw_ = false;
  // A touch on the help overlay keeps it open.
  if (touched) site_.touched(std::min(*touched, now));
  // Any touch is the resident at work, even one that changes nothing (a key at the note's limit): the
  // visit's inactivity clock starts again, so "still there?" never interrupts someone typing. A finger held
  // down counts until it lifts.
  if (touched) flow_.touched(site_.visit_time(std::min(*touched, now)));
  if (io.MouseDown[0]) flow_.touched(site_.visit_time(now));
  ui::ScreenView view = ui::make_view(flow_, site_.visit_time(now));
  add_sync_mark(view);
  add_site(view);
  const std::string question = view.question ? view.question->id : "";
  if (question != last_question_) ui_state_ = ui::UiState{};  // each text box starts in lower case
  last_question_ = question;
  ui::Canvas canvas{theme_, fonts_, size, record_};
  ui::set_language(canvas, catalogs_, view.language);
  const flow::Intent intent = ui::draw_screen(canvas, view, ui_state_);
  const bool new_glyphs = want_glyphs(record_.missing_glyphs);
  const bool site_changed = handle_request(ui_state_.request, now);
  if (flow::is_none(intent)) return new_glyphs || site_changed;
  last_applied_ = std::max(last_applied_, site_.visit_time(std::min(touched.value_or(now), now)));
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
    case uploader::SyncState::NotConfigured:
      view.sync = ui::SyncMark::None;
      break;
    case uploader::SyncState::NotAuthorised:
      view.sync = ui::SyncMark::Attention;
      break;
    case uploader::SyncState::Offline:
      view.sync = ui::SyncMark::Offline;
      break;
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
  return automation_->frame_drawn(record_, screen_key(), display_);
}

}  // namespace fk::kiosk
