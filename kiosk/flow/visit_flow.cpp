#include "kiosk/flow/visit_flow.hpp"

#include <algorithm>
#include <cstdio>
#include <type_traits>

#include "sync/model/condition.hpp"

namespace fk::flow {
namespace {

// An emptied text box or an unticked list is no answer at all.
bool is_empty(const model::AnswerValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return text->empty();
  if (const auto* chosen = std::get_if<std::vector<std::string>>(&value)) return chosen->empty();
  if (const auto* contact = std::get_if<model::ContactAnswer>(&value)) return !contact->consent;
  return false;
}

}  // namespace

std::optional<PartialPolicy> partial_policy_from_string(const std::string& s) {
  if (s == "discard") return PartialPolicy::Discard;
  if (s == "submit_partial") return PartialPolicy::SubmitPartial;
  return std::nullopt;
}

const char* to_string(PartialPolicy policy) {
  return policy == PartialPolicy::Discard ? "discard" : "submit_partial";
}

const char* to_string(Screen screen) {
  switch (screen) {
    case Screen::Attract:
      return "attract";
    case Screen::Question:
      return "question";
    case Screen::StillThere:
      return "still_there";
    case Screen::ThankYou:
      return "thank_you";
    case Screen::Unavailable:
      return "unavailable";
  }
  return "?";
}

VisitFlow::VisitFlow(std::shared_ptr<const model::SurveyDefinition> survey, FlowConfig config, FlowDeps deps)
    : survey_(std::move(survey)), config_(std::move(config)), deps_(std::move(deps)) {
  if (!deps_.new_uuid) deps_.new_uuid = model::new_uuid_v4;
  if (!deps_.wall_clock) deps_.wall_clock = model::utc_now_iso8601;
  if (!deps_.log_error) {
    deps_.log_error = [](const std::string& message) {
      std::fprintf(stderr, "feedback-kiosk: %s\n", message.c_str());
    };
  }
  if (deps_.store == nullptr) screen_ = Screen::Unavailable;
}

void VisitFlow::set_survey(std::shared_ptr<const model::SurveyDefinition> survey) {
  if (screen_ == Screen::Attract || screen_ == Screen::Unavailable) {
    survey_ = std::move(survey);
  } else {
    next_survey_ = std::move(survey);
  }
}

void VisitFlow::apply(const Intent& intent, TimePoint now) {
  // Also a tap from before the change: it was aimed at what was on screen then.
  const Millis guard = screen_ == Screen::StillThere ? config_.still_there_guard : config_.tap_guard;
  if (changed_at_ && now < *changed_at_ + guard) return;
  const int shown = current_;
  const Screen screen = screen_;
  std::visit(
      [&](const auto& in) {
        using T = std::decay_t<decltype(in)>;
        if constexpr (std::is_same_v<T, StartVisit>) {
          if (screen_ == Screen::Attract) start(in.language, now);
        } else if constexpr (std::is_same_v<T, ChooseLanguage>) {
          if (screen_ != Screen::Attract) return;
          const auto& offered = survey_->languages;
          if (std::find(offered.begin(), offered.end(), in.language) == offered.end()) return;
          language_ = in.language;
          last_activity_ = now;
        } else if constexpr (std::is_same_v<T, SetAnswer>) {
          if (screen_ != Screen::Question) return;
          last_activity_ = now;
          const std::string& id = survey_->questions[current_].id;
          if (is_empty(in.value)) {
            answers_.erase(id);
          } else {
            answers_[id] = in.value;
          }
          if (in.advance) apply(Next{}, now);
        } else if constexpr (std::is_same_v<T, ClearAnswer>) {
          if (screen_ != Screen::Question) return;
          last_activity_ = now;
          answers_.erase(survey_->questions[current_].id);
        } else if constexpr (std::is_same_v<T, Next>) {
          if (screen_ != Screen::Question) return;
          last_activity_ = now;
          const int next = next_visible(current_ + 1);
          if (next < 0) {
            submit(false, now);
          } else {
            history_.push_back(current_);
            current_ = next;
          }
        } else if constexpr (std::is_same_v<T, Back>) {
          if (screen_ != Screen::Question) return;
          last_activity_ = now;
          if (history_.empty()) {
            // Back to the attract screen, still in the resident's language.
            const std::string language = language_;
            reset_visit();
            go(Screen::Attract, now);
            language_ = language;
          } else {
            current_ = history_.back();
            history_.pop_back();
          }
        } else if constexpr (std::is_same_v<T, StillHere>) {
          if (screen_ != Screen::StillThere) return;
          last_activity_ = now;
          go(Screen::Question, now);
        } else if constexpr (std::is_same_v<T, EndVisit>) {
          if (screen_ == Screen::Question || screen_ == Screen::StillThere) end_visit(now);
        } else if constexpr (std::is_same_v<T, Finish>) {
          if (screen_ == Screen::ThankYou || (screen_ == Screen::Unavailable && deps_.store != nullptr)) {
            go(Screen::Attract, now);
          }
        }
      },
      intent);
  if (current_ != shown && screen_ == screen) changed_at_ = now;
}

void VisitFlow::touched(TimePoint now) {
  // Only where the inactivity clock runs; "still there?" is answered by its button, not by any touch.
  if (screen_ == Screen::Question || screen_ == Screen::Attract) last_activity_ = std::max(last_activity_, now);
}

void VisitFlow::tick(TimePoint now) {
  switch (screen_) {
    case Screen::Question:
      if (now - last_activity_ >= config_.inactivity_timeout) go(Screen::StillThere, now);
      break;
    case Screen::StillThere:
      if (now - screen_since_ >= config_.still_there_timeout) end_visit(now);
      break;
    case Screen::ThankYou:
      if (now - screen_since_ >= config_.thank_you_duration) go(Screen::Attract, now);
      break;
    case Screen::Unavailable:
      if (deps_.store != nullptr && now - screen_since_ >= config_.unavailable_duration)
        go(Screen::Attract, now);
      break;
    case Screen::Attract:
      if (!language_.empty() && now - last_activity_ >= config_.inactivity_timeout) language_.clear();
      break;
  }
}

std::optional<TimePoint> VisitFlow::next_wakeup(TimePoint now) const {
  // Countdown screens redraw once a second; the others only when their timeout falls due.
  auto countdown = [&](Millis length) {
    const TimePoint end = screen_since_ + length;
    const auto elapsed = now - screen_since_;
    const TimePoint next_second =
        screen_since_ + std::chrono::duration_cast<std::chrono::seconds>(elapsed) + std::chrono::seconds(1);
    return std::min(end, next_second);
  };
  switch (screen_) {
    case Screen::Question:
      return last_activity_ + config_.inactivity_timeout;
    case Screen::StillThere:
      return countdown(config_.still_there_timeout);
    case Screen::ThankYou:
      return screen_since_ + config_.thank_you_duration;
    case Screen::Unavailable:
      if (deps_.store == nullptr) return std::nullopt;
      return screen_since_ + config_.unavailable_duration;
    case Screen::Attract:
      if (language_.empty()) return std::nullopt;
      return last_activity_ + config_.inactivity_timeout;  // the picked language then returns to the default
  }
  return std::nullopt;
}

const model::Question* VisitFlow::current_question() const {
  if ((screen_ != Screen::Question && screen_ != Screen::StillThere) || current_ < 0) return nullptr;
  return &survey_->questions[current_];
}

const model::AnswerValue* VisitFlow::current_answer() const {
  const model::Question* question = current_question();
  if (question == nullptr) return nullptr;
  auto it = answers_.find(question->id);
  return it == answers_.end() ? nullptr : &it->second;
}

Progress VisitFlow::progress() const {
  Progress p;
  if (current_ < 0) return p;
  for (int i = 0; i < static_cast<int>(survey_->questions.size()); ++i) {
    if (!is_visible(i)) continue;
    ++p.total;
    if (i <= current_) ++p.position;
  }
  return p;
}

bool VisitFlow::is_last_question() const {
  return current_ >= 0 && next_visible(current_ + 1) < 0;
}

int VisitFlow::seconds_left(TimePoint now) const {
  Millis length{0};
  if (screen_ == Screen::StillThere) length = config_.still_there_timeout;
  if (screen_ == Screen::ThankYou) length = config_.thank_you_duration;
  const auto left = screen_since_ + length - now;
  if (left <= Millis{0}) return 0;
  return static_cast<int>(std::chrono::ceil<std::chrono::seconds>(left).count());
}

std::vector<model::Answer> VisitFlow::visible_answers() const {
  std::vector<model::Answer> out;
  for (int i = 0; i < static_cast<int>(survey_->questions.size()); ++i) {
    const std::string& id = survey_->questions[i].id;
    auto it = answers_.find(id);
    if (it != answers_.end() && is_visible(i)) out.push_back({id, it->second});
  }
  return out;
}

bool VisitFlow::is_visible(int index) const {
  const model::Question& question = survey_->questions[index];
  if (!question.show_if) return true;
  const int source = survey_->index_of(question.show_if->question_id);
  // The validator guarantees the source comes earlier; a hidden source's answer does not count.
  if (source < 0 || source >= index || !is_visible(source)) return false;
  auto it = answers_.find(question.show_if->question_id);
  return model::condition_met(*question.show_if, it == answers_.end() ? nullptr : &it->second);
}

int VisitFlow::next_visible(int from) const {
  for (int i = from; i < static_cast<int>(survey_->questions.size()); ++i) {
    if (is_visible(i)) return i;
  }
  return -1;
}

void VisitFlow::start(const std::string& language, TimePoint now) {
  if (next_survey_) survey_ = std::move(next_survey_);
  reset_visit();
  uuid_ = deps_.new_uuid();  // the response's identity from the first tap, for exactly-once upload
  language_ = language.empty() ? config_.default_language : language;
  started_at_ = deps_.wall_clock();
  visit_started_ = now;
  visit_event_ = event_;
  current_ = next_visible(0);
  last_activity_ = now;
  if (current_ < 0) {
    submit(false, now);  // a survey whose every question is hidden: nothing to ask
    return;
  }
  go(Screen::Question, now);
}

void VisitFlow::submit(bool partial, TimePoint now) {
  model::Response response;
  response.uuid = uuid_;
  response.survey_id = survey_->id;
  response.survey_version = survey_->version;
  response.language = language_;
  response.answers = visible_answers();
  response.partial = partial;
  response.started_at = started_at_;
  response.completed_at = deps_.wall_clock();
  response.event = visit_event_;
  // Flagged, never dropped: the centre keeps it and aggregates leave it out by default.
  if (last_saved_at_ && now - *last_saved_at_ < config_.misuse_interval) {
    response.misuse_reason = "rapid_repeat";
  } else if (!response.answers.empty() &&
             now - visit_started_ < config_.min_time_per_answer * static_cast<int>(response.answers.size())) {
    response.misuse_reason = "too_fast";
  }
  response.misuse = !response.misuse_reason.empty();

  auto saved = deps_.store->save(response);
  reset_visit();
  if (!saved) {
    deps_.log_error("could not save response " + response.uuid + ": " + saved.error().message);
    go(Screen::Unavailable, now);
    return;
  }
  last_saved_at_ = now;
  if (deps_.on_saved) deps_.on_saved();
  go(partial ? Screen::Attract : Screen::ThankYou, now);
}

void VisitFlow::end_visit(TimePoint now) {
  if (config_.partial_policy == PartialPolicy::SubmitPartial && !visible_answers().empty()) {
    submit(true, now);
    return;
  }
  reset_visit();
  go(Screen::Attract, now);
}

void VisitFlow::go(Screen screen, TimePoint now) {
  screen_ = screen;
  screen_since_ = now;
  changed_at_ = now;
  if (screen == Screen::Attract) language_.clear();  // the next resident starts in the default language
  if (screen == Screen::Attract && next_survey_) survey_ = std::move(next_survey_);
}

void VisitFlow::reset_visit() {
  uuid_.clear();
  started_at_.clear();
  visit_event_.clear();
  current_ = -1;
  history_.clear();
  answers_.clear();
}

}  // namespace fk::flow
