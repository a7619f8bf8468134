#include "kiosk/staff/staff_desk.hpp"

#include <algorithm>
#include <cstdio>

#include "kiosk/i18n/languages.hpp"
#include "kiosk/staff/pin.hpp"
#include "sync/uploader/heartbeat.hpp"

namespace fk::kiosk::staff {
namespace {

constexpr std::chrono::seconds kEventEndCheck{30};  // the wall clock may jump: look again at least this often

}  // namespace

StaffDesk::StaffDesk(DeskDeps deps, DeskHooks hooks)
    : deps_(std::move(deps)),
      hooks_(std::move(hooks)),
      path_(staff_state_path(deps_.data_dir)),
      state_([&] {
        auto loaded = load_staff_state(path_);
        if (loaded) return *loaded;
        // Without a readable file there is no PIN, so the staff screen stays shut until it is fixed.
        deps_.log("staff settings unreadable, staff screen disabled: " + loaded.error().message);
        return StaffState{};
      }()),
      gate_(path_, state_, deps_.boot_clock) {}

StaffDesk::~StaffDesk() {
  if (pin_worker_.joinable()) pin_worker_.join();
}

void StaffDesk::restore() {
  if (!state_.default_language.empty()) hooks_.set_default_language(state_.default_language);
  // The uploader counts the event's responses with the outbox, so the report is ready when it ends.
  const std::string reported = state_.event ? state_.event->name : state_.last_event;
  if (deps_.uploader && !reported.empty()) deps_.uploader->report_event(reported);
  if (!state_.event && !state_.survey.empty()) {
    if (auto survey = deps_.surveys->choose(state_.survey)) {
      hooks_.set_survey(std::move(survey));
    } else {
      deps_.log("the survey staff chose, " + state_.survey + ", is not available; running " +
                hooks_.active_survey().id);
    }
  }
  if (state_.event) {
    if (auto survey = deps_.surveys->choose(state_.event->survey_id)) {
      hooks_.set_survey(std::move(survey));
    } else {
      deps_.log("event \"" + state_.event->name + "\": survey " + state_.event->survey_id +
                " is not available; running " + hooks_.active_survey().id);
    }
    hooks_.set_event(state_.event->name);
    deps_.log("collecting for event \"" + state_.event->name + "\"");
  }
}

void StaffDesk::open_pin_pad(TimePoint now) {
  screen_ = ui::StaffScreen::PinPad;
  pin_.clear();
  pin_message_ = gate_.has_pin() ? "" : "No staff PIN is set: run feedback-kiosk admin set-pin";
  last_input_ = now;
}

void StaffDesk::close() {
  screen_.reset();
  pin_.clear();
  pin_message_.clear();
  notice_.clear();
  form_error_.clear();
}

bool StaffDesk::save(const std::string& what) {
  if (auto saved = save_staff_state(path_, state_); !saved) {
    notice_ = "Could not " + what + ": " + saved.error().message;
    deps_.log(notice_);
    return false;
  }
  return true;
}

ui::StaffView StaffDesk::view() {
  ui::StaffView v;
  if (!screen_) return v;
  v.screen = *screen_;
  v.pin_digits = static_cast<int>(pin_.size());
  v.pin_message = pin_message_;
  v.pin_checking = checking_pin();
  v.locked_seconds = screen_ == ui::StaffScreen::PinPad && gate_.has_pin()
                         ? static_cast<int>(gate_.locked_for().count())
                         : 0;
  if (screen_ == ui::StaffScreen::PinPad) return v;  // nothing else is shown before the PIN

  const model::SurveyDefinition& active = hooks_.active_survey();
  v.survey_id = active.id;
  v.survey_version = active.version;
  // The age of the oldest pending response, as the heartbeat reports it to the centre (wall clock: display
  // only). The saved_at comes with the counts; only the age is worked out per frame.
  auto oldest_text = [&](const std::string& saved_at) {
    if (saved_at.empty()) return std::string();
    const std::int64_t age = uploader::age_seconds(saved_at, deps_.wall_clock());
    std::string text = age < 120    ? std::to_string(age) + " s"
                       : age < 7200 ? std::to_string(age / 60) + " min"
                                    : std::to_string(age / 3600) + " h";
    return text + " (saved " + saved_at + ")";
  };
  const bool report = screen_ == ui::StaffScreen::EventReport && !state_.last_event.empty();
  if (deps_.uploader) {
    // The uploader's latest snapshot: its thread counted the outbox, never this frame.
    const auto status = deps_.uploader->status();
    v.kiosk_id = status->kiosk_id;
    v.site = status->site;
    v.last_sync = status->last_success;
    v.last_error = status->last_error;
    v.sync_state = uploader::to_string(status->state);
    v.pending = status->pending;
    v.uploaded = status->uploaded;
    v.quarantined = status->quarantined;
    v.oldest_pending = oldest_text(status->oldest_pending_saved_at);
    if (report && status->report_event == state_.last_event && status->report_counted) {
      v.report = {status->report_pending + status->report_uploaded + status->report_quarantined,
                  status->report_uploaded, status->report_pending, status->report_quarantined};
    }
  } else if (deps_.store) {
    v.sync_state = "not enrolled";
    v.pending = outbox_.counts.pending;
    v.uploaded = outbox_.counts.uploaded;
    v.quarantined = outbox_.counts.quarantined;
    v.oldest_pending = oldest_text(outbox_.oldest_saved_at);
    if (!outbox_.error.empty()) v.last_error = outbox_.error;
    if (report && outbox_.event == state_.last_event && outbox_.event_counts) {
      const store::StatusCounts& c = *outbox_.event_counts;
      v.report = {c.total(), c.uploaded, c.pending, c.quarantined};
    }
  } else {
    v.sync_state = "not enrolled";
  }
  if (!deps_.store) v.last_error = "the data directory cannot be used: answers are not being stored";
  if (state_.event) {
    v.event_name = state_.event->name;
    v.event_survey = state_.event->survey_id;
    if (state_.event->ends_at) v.event_ends = clock_text(*state_.event->ends_at);
  }
  v.default_language = state_.default_language.empty() ? "(config default)" : state_.default_language;
  v.notice = notice_;
  for (const auto& s : deps_.surveys->available())
    v.surveys.push_back({s->id, s->version, s->title.get("en")});
  v.chosen_survey = chosen_survey_.empty() ? active.id : chosen_survey_;
  v.event_name_input = event_name_input_;
  v.end_time_input = end_time_input_;
  v.focused_field = focused_field_;
  v.form_error = form_error_;
  v.report_event = state_.event ? "" : state_.last_event;
  if (report && !deps_.uploader && !outbox_.event_error.empty()) v.notice = outbox_.event_error;
  for (const i18n::Language& l : i18n::supported_languages()) {
    v.languages.emplace_back(std::string(l.tag), std::string(l.native_name));
  }
  return v;
}

void StaffDesk::submit_pin(TimePoint now) {
  if (checking_pin()) return;  // one attempt at a time: a second Enter must not count the PIN twice
  pin_message_.clear();
  if (auto refused = gate_.begin_attempt()) {
    pin_.clear();
    show_attempt(*refused, now);
    return;
  }
  // Counted on disk already; the slow comparison runs on a worker with copies of what it needs.
  std::promise<bool> answer;
  pin_check_ = answer.get_future();
  pin_worker_ = std::thread([answer = std::move(answer), matches = deps_.pin_matches, wake = deps_.wake,
                             hash = gate_.pin_hash(), pin = std::move(pin_)]() mutable {
    answer.set_value(matches(hash, pin));
    if (wake) wake();  // after the answer is ready: the tick this wakes finds it
  });
  pin_.clear();
}

void StaffDesk::collect_pin_check(TimePoint now) {
  if (!checking_pin() || pin_check_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
  const bool matched = pin_check_.get();  // leaves pin_check_ invalid: no longer checking
  pin_worker_.join();                     // it has answered; only its wake() call may still be returning
  show_attempt(gate_.finish_attempt(matched), now);
}

void StaffDesk::show_attempt(const PinAttempt& attempt, TimePoint now) {
  switch (attempt.outcome) {
    case PinOutcome::Accepted:
      if (screen_ != ui::StaffScreen::PinPad) return;  // the pad was closed meanwhile: the count is kept
      screen_ = ui::StaffScreen::Home;
      pin_message_.clear();
      notice_.clear();
      last_input_ = now;
      read_outbox();
      deps_.log("staff screen opened");
      return;
    case PinOutcome::Wrong:
      pin_message_ = attempt.locked_for.count() > 0 ? "Wrong PIN."
                                                    : "Wrong PIN. " + std::to_string(attempt.attempts_left) +
                                                          (attempt.attempts_left == 1 ? " try" : " tries") +
                                                          " left before the pad locks.";
      deps_.log("wrong staff PIN entered");
      return;
    case PinOutcome::Locked:
      pin_message_ = "Locked.";
      return;
    case PinOutcome::NoPin:
      pin_message_ = "No staff PIN is set: run feedback-kiosk admin set-pin";
      return;
    case PinOutcome::Error:
      pin_message_ = "Cannot check the PIN: " + attempt.message;
      return;
  }
}

Expected<std::int64_t> StaffDesk::parse_end_time(const std::string& text) const {
  // "17:30", "7:30" or "1730": the main keyboard layer has digits but no colon, so the colon is optional.
  std::string digits;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] >= '0' && text[i] <= '9') {
      digits += text[i];
    } else if (!(text[i] == ':' && i + 3 == text.size() && i > 0)) {
      digits.clear();
      break;
    }
  }
  const int hh =
      digits.size() >= 3 && digits.size() <= 4 ? std::stoi(digits.substr(0, digits.size() - 2)) : -1;
  const int mm = hh >= 0 ? std::stoi(digits.substr(digits.size() - 2)) : -1;
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59) {
    return Error{"The end time \"" + text +
                 "\" is not a time: use HH:MM (24-hour), e.g. 17:30, or leave it empty."};
  }
  const std::time_t now = deps_.wall_clock();
  std::tm local{};
  localtime_r(&now, &local);
  local.tm_hour = hh;
  local.tm_min = mm;
  local.tm_sec = 0;
  local.tm_isdst = -1;
  const std::time_t end = std::mktime(&local);
  if (end <= now) {
    return Error{"The end time " + text + " has already passed (it is " + clock_text(now) +
                 " now): choose a later time today, or leave it empty."};
  }
  return static_cast<std::int64_t>(end);
}

std::string StaffDesk::clock_text(std::int64_t epoch) const {
  const auto t = static_cast<std::time_t>(epoch);
  std::tm local{};
  localtime_r(&t, &local);
  char out[8];
  std::snprintf(out, sizeof out, "%02d:%02d", local.tm_hour, local.tm_min);
  return out;
}

void StaffDesk::start_event() {
  form_error_.clear();
  std::string name = event_name_input_;
  while (!name.empty() && name.back() == ' ') name.pop_back();
  while (!name.empty() && name.front() == ' ') name.erase(name.begin());
  if (name.empty()) {
    form_error_ = "Give the event a name.";
    return;
  }
  if (name.size() > kMaxEventNameBytes) {
    form_error_ = "The event name is too long (at most " + std::to_string(kMaxEventNameBytes) + " bytes).";
    return;
  }
  std::optional<std::int64_t> ends_at;
  if (!end_time_input_.empty()) {
    auto parsed = parse_end_time(end_time_input_);
    if (!parsed) {
      form_error_ = parsed.error().message;
      return;
    }
    ends_at = *parsed;
  }
  const std::string survey_id = chosen_survey_.empty() ? hooks_.active_survey().id : chosen_survey_;
  auto survey = deps_.surveys->choose(survey_id);
  if (!survey) {
    form_error_ = "The survey " + survey_id + " is not available on this kiosk.";
    return;
  }
  StaffState next = state_;
  next.event = EventRecord{name, survey_id, ends_at};
  if (auto saved = save_staff_state(path_, next); !saved) {
    form_error_ = "Could not start the event: " + saved.error().message;
    return;
  }
  state_ = next;
  hooks_.set_survey(std::move(survey));
  hooks_.set_event(name);
  if (deps_.uploader) deps_.uploader->report_event(name);
  deps_.log("event \"" + name + "\" started with survey " + survey_id);
  notice_ = "Event \"" + name + "\" started.";
  event_name_input_.clear();
  end_time_input_.clear();
  screen_ = ui::StaffScreen::Home;
}

void StaffDesk::end_event() {
  if (!state_.event) return;
  StaffState next = state_;
  next.last_event = state_.event->name;
  next.event.reset();
  if (auto saved = save_staff_state(path_, next); !saved) {
    notice_ = "Could not end the event: " + saved.error().message;
    return;
  }
  state_ = next;
  hooks_.set_event("");
  // Back to the survey staff chose for the kiosk, else its own (the lobby survey), from the next visit on.
  auto survey = state_.survey.empty() ? nullptr : deps_.surveys->choose(state_.survey);
  if (!survey) survey = deps_.surveys->site_default();
  if (survey) hooks_.set_survey(std::move(survey));
  deps_.log("event \"" + state_.last_event + "\" ended");
  if (deps_.uploader) {
    deps_.uploader->report_event(state_.last_event);  // counted already while it ran; recounted now
    deps_.uploader->sync_now();                       // the report wants confirmations soon
  }
}

void StaffDesk::apply(const ui::StaffIntent& intent, TimePoint now) {
  using namespace ui::staff_intent;
  if (std::holds_alternative<std::monostate>(intent) || !screen_) return;
  last_input_ = now;
  if (checking_pin()) return;  // the pad's keys are disabled until the answer is in
  if (const auto* d = std::get_if<Digit>(&intent)) {
    if (pin_.size() < kMaxPinDigits) pin_.push_back(d->digit);
  } else if (std::holds_alternative<DeletePin>(intent)) {
    if (!pin_.empty()) pin_.pop_back();
  } else if (std::holds_alternative<SubmitPin>(intent)) {
    submit_pin(now);
  } else if (std::holds_alternative<Cancel>(intent)) {
    close();
  } else if (screen_ == ui::StaffScreen::PinPad) {
    return;  // nothing else before the PIN
  } else if (const auto* o = std::get_if<Open>(&intent)) {
    if (o->screen == ui::StaffScreen::PinPad) return;
    screen_ = o->screen;
    form_error_.clear();
    read_outbox();
    if (o->screen == ui::StaffScreen::StartEvent) chosen_survey_ = hooks_.active_survey().id;
  } else if (std::holds_alternative<SyncNow>(intent)) {
    if (deps_.uploader) {
      deps_.uploader->sync_now();
      notice_ = "Sync requested.";
    } else {
      read_outbox();  // the explicit refresh of the counts shown
      notice_ = "Not enrolled: run feedback-kiosk enroll --central URL --token T";
    }
  } else if (const auto* c = std::get_if<ChooseSurvey>(&intent)) {
    const auto offered = deps_.surveys->available();
    StaffState next = state_;
    next.survey = c->id;
    if (std::none_of(offered.begin(), offered.end(), [&](const auto& s) { return s->id == c->id; })) {
      notice_ = "Survey " + c->id + " is not available.";
    } else if (auto saved = save_staff_state(path_, next); !saved) {
      // Kept across restarts (and gone back to when an event ends): nothing changes if it cannot be kept.
      notice_ = "Could not keep the survey choice: " + saved.error().message;
    } else {
      state_ = next;
      hooks_.set_survey(deps_.surveys->choose(c->id));
      notice_ = "Survey " + c->id + " starts with the next visit.";
      deps_.log("staff chose survey " + c->id);
      screen_ = ui::StaffScreen::Home;
    }
  } else if (const auto* n = std::get_if<EditName>(&intent)) {
    if (n->text.size() <= kMaxEventNameBytes) event_name_input_ = n->text;
  } else if (const auto* e = std::get_if<EditEndTime>(&intent)) {
    end_time_input_ = e->text;
  } else if (const auto* f = std::get_if<Focus>(&intent)) {
    focused_field_ = f->field == 1 ? 1 : 0;
  } else if (const auto* p = std::get_if<PickEventSurvey>(&intent)) {
    chosen_survey_ = p->id;
  } else if (std::holds_alternative<StartEvent>(intent)) {
    start_event();
  } else if (std::holds_alternative<EndEvent>(intent)) {
    end_event();
    if (!state_.event) screen_ = ui::StaffScreen::EventReport;
    read_outbox();
  } else if (const auto* l = std::get_if<SetLanguage>(&intent)) {
    const std::string before = state_.default_language;
    state_.default_language = l->tag;
    if (!save("save the default language")) {
      state_.default_language = before;
      return;
    }
    hooks_.set_default_language(l->tag);
    notice_ = "Default language: " + l->tag;
    screen_ = ui::StaffScreen::Home;
  } else if (std::holds_alternative<Leave>(intent)) {
    deps_.log("staff left kiosk mode");
    exit_ = true;
  }
}

void StaffDesk::read_outbox() {
  if (deps_.uploader || !deps_.store) return;
  OutboxReading reading;
  if (auto counts = deps_.store->counts()) {
    reading.counts = *counts;
  } else {
    reading.error = counts.error().message;
  }
  if (auto oldest = deps_.store->pending(1); oldest && !oldest->empty())
    reading.oldest_saved_at = oldest->front().saved_at;
  if (!state_.last_event.empty()) {
    reading.event = state_.last_event;
    if (auto c = deps_.store->event_counts(state_.last_event)) {
      reading.event_counts = *c;
    } else {
      reading.event_error = c.error().message;
    }
  }
  outbox_ = std::move(reading);
}

void StaffDesk::tick(TimePoint now) {
  collect_pin_check(now);
  if (state_.event && state_.event->ends_at && deps_.wall_clock() >= *state_.event->ends_at) {
    deps_.log("event \"" + state_.event->name + "\" reached its end time");
    end_event();
  }
  if (!screen_ || checking_pin()) return;
  const auto timeout = screen_ == ui::StaffScreen::PinPad ? kPinPadTimeout : kStaffScreenTimeout;
  if (now - last_input_ >= timeout) close();
}

std::optional<TimePoint> StaffDesk::next_wakeup(TimePoint now) const {
  std::optional<TimePoint> wake;
  if (screen_) {
    wake = last_input_ + (screen_ == ui::StaffScreen::PinPad ? kPinPadTimeout : kStaffScreenTimeout);
    if (screen_ == ui::StaffScreen::PinPad)
      wake = std::min(*wake, now + std::chrono::seconds(1));  // the lock's countdown
  }
  if (state_.event && state_.event->ends_at) {
    const auto left =
        std::chrono::seconds(std::max<std::int64_t>(0, *state_.event->ends_at - deps_.wall_clock()));
    const TimePoint at = now + std::min<std::chrono::seconds>(left, kEventEndCheck);
    wake = wake ? std::min(*wake, at) : at;
  }
  return wake;
}

}  // namespace fk::kiosk::staff
