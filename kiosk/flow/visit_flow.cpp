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

bool VisitFlow::guarded(const Intent& intent, TimePoint touched) const {
  // Also a tap from before the change: it was aimed at what was on screen then.
  auto within = [&](const std::optional<TimePoint>& changed) {
    const Millis guard = screen_ == Screen::StillThere ? config_.still_there_guard : config_.tap_guard;
    return changed && touched < *changed + guard;
  };
  if (within(changed_at_)) return true;  // a new screen or question: everything under every finger changed
  // The footer alone changes when "Start over" asks: only taps on the footer were aimed at something else.
  const bool footer = std::holds_alternative<Back>(intent) || std::holds_alternative<Next>(intent) ||
                      std::holds_alternative<AskEndVisit>(intent) ||
                      std::holds_alternative<EndVisit>(intent) || std::holds_alternative<KeepVisit>(intent);
  return screen_ == Screen::Question && footer && within(footer_changed_at_);
}

void VisitFlow::apply(const Intent& intent, TimePoint now) {
  if (guarded(intent, now)) return;
  const int shown = current_;
  const Screen screen = screen_;
  // Anything else the resident does on a question answers "End this visit now?" with "no".
  if (screen_ == Screen::Question && asking_end_ && !std::holds_alternative<EndVisit>(intent) &&
      !std::holds_alternative<AskEndVisit>(intent) && !is_none(intent)) {
    set_asking_end(false, now);
    if (std::holds_alternative<KeepVisit>(intent)) last_activity_ = now;
  }
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
          // Too fast to have been read: the answer shows selected and waits for a deliberate Next.
          if (in.advance && !(may_move_on(now) && move_on(now))) held_ = true;
        } else if constexpr (std::is_same_v<T, ClearAnswer>) {
          if (screen_ != Screen::Question) return;
          last_activity_ = now;
          answers_.erase(survey_->questions[current_].id);
        } else if constexpr (std::is_same_v<T, Next>) {
          if (screen_ != Screen::Question) return;
          last_activity_ = now;
          move_on(now);
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
        } else if constexpr (std::is_same_v<T, AskEndVisit>) {
          if (screen_ != Screen::Question || asking_end_) return;
          last_activity_ = now;
          set_asking_end(true, now);
        } else if constexpr (std::is_same_v<T, EndVisit>) {
          // On a question only as the answer to "End this visit now?", asked once.
          if ((screen_ == Screen::Question && asking_end_) || screen_ == Screen::StillThere) {
            end_visit(now, true);
          }
        } else if constexpr (std::is_same_v<T, Finish>) {
          if (screen_ == Screen::ThankYou || (screen_ == Screen::Unavailable && deps_.store != nullptr)) {
            go(Screen::Attract, now);
          }
        }
      },
      intent);
  if (current_ != shown && screen_ == screen) {
    changed_at_ = now;
    held_ = false;
    set_asking_end(false, now);
  }
}

bool VisitFlow::may_move_on(TimePoint now) {
  if (held_) return false;  // the same finger is still going: this question waits for Next
  const auto on_screen = now - changed_at_.value_or(now);
  if (on_screen < config_.min_read_time) return false;
  const bool quick = on_screen < config_.quick_answer;
  if (quick && config_.quick_run > 0 && quick_answers_ >= config_.quick_run) return false;
  quick_answers_ = quick ? quick_answers_ + 1 : 0;
  return true;
}

bool VisitFlow::move_on(TimePoint now) {
  const int next = next_visible(current_ + 1);
  if (next >= 0) {
    history_.push_back(current_);
    current_ = next;
    return true;
  }
  if (!send_ready(now)) return false;
  submit(false, now);
  return true;
}

bool VisitFlow::send_ready(TimePoint now) const {
  if (screen_ != Screen::Question || !is_last_question()) return false;
  return !changed_at_ || now - *changed_at_ >= config_.send_delay;
}

void VisitFlow::set_asking_end(bool asking, TimePoint now) {
  if (asking_end_ == asking) return;
  asking_end_ = asking;
  footer_changed_at_ = now;
}

void VisitFlow::touched(TimePoint now) {
  // Only where the inactivity clock runs; "still there?" is answered by its button, not by any touch.
  if (screen_ == Screen::Question || screen_ == Screen::Attract)
    last_activity_ = std::max(last_activity_, now);
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
      if (now - screen_since_ >= thank_you_length()) go(Screen::Attract, now);
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
      // A "Send" not ready yet is drawn again when it becomes ready.
      if (is_last_question() && !send_ready(now) && changed_at_) {
        return std::min(last_activity_ + config_.inactivity_timeout, *changed_at_ + config_.send_delay);
      }
      return last_activity_ + config_.inactivity_timeout;
    case Screen::StillThere:
      return countdown(config_.still_there_timeout);
    case Screen::ThankYou:
      return screen_since_ + thank_you_length();
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
  // may_see[i]: shown now, or hidden by a condition whose question is still ahead of the resident (the
  // current one or a later one they may see) and unanswered, so an answer to come can open it.
  const int n = static_cast<int>(survey_->questions.size());
  std::vector<bool> may_see(static_cast<std::size_t>(n), false);
  for (int i = 0; i < n; ++i) {
    const model::Question& question = survey_->questions[i];
    bool may = true;
    if (question.show_if) {
      const int source = survey_->index_of(question.show_if->question_id);
      if (source < 0 || source >= i || !may_see[source]) {
        may = false;
      } else {
        const bool open =
            source >= current_ && (!is_visible(source) || !answers_.count(question.show_if->question_id));
        may = open || is_visible(i);
      }
    }
    may_see[i] = may;
    if (!may) continue;
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
  if (screen_ == Screen::ThankYou) length = thank_you_length();
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
  // Flagged, never dropped: the centre keeps it and aggregates leave it out by default. A visit sent with
  // nothing answered is no resident's feedback (DESIGN.md guarantee 7 keeps it, flagged, not collected).
  if (response.answers.empty() && !partial) {
    response.misuse_reason = "empty";
  } else if (last_saved_at_ && now - *last_saved_at_ < config_.misuse_interval) {
    response.misuse_reason = "rapid_repeat";
  } else if (!response.answers.empty() &&
             now - visit_started_ < config_.min_time_per_answer * static_cast<int>(response.answers.size())) {
    response.misuse_reason = "too_fast";
  }
  response.misuse = !response.misuse_reason.empty();

  VisitEnding ending;
  for (const model::Answer& answer : response.answers) {
    const model::Question* question = survey_->find(answer.question_id);
    if (question == nullptr) continue;
    if ((question->kind == model::QuestionKind::FreeText && question->thanks_note) ||
        question->kind == model::QuestionKind::Employee) {
      ending.note = true;
    }
    const int* rating = std::get_if<int>(&answer.value);
    if (question->pillar == model::Pillar::Overall && rating && *rating <= 2) ending.low_rating = true;
  }

  auto saved = deps_.store->save(response);
  reset_visit();
  ending_ = ending;
  if (!saved) {
    deps_.log_error("could not save response " + response.uuid + ": " + saved.error().message);
    go(Screen::Unavailable, now);
    return;
  }
  last_saved_at_ = now;
  if (deps_.on_saved) deps_.on_saved();
  go(partial ? Screen::Attract : Screen::ThankYou, now);
}

void VisitFlow::end_visit(TimePoint now, bool keep_language) {
  const std::string language = language_;
  if (config_.partial_policy == PartialPolicy::SubmitPartial && !visible_answers().empty()) {
    submit(true, now);
  } else {
    reset_visit();
    go(Screen::Attract, now);
  }
  // As a language picked there: kept for the next visit, or until the attract screen is left alone.
  if (keep_language && screen_ == Screen::Attract) {
    language_ = language;
    last_activity_ = now;
  }
}

void VisitFlow::go(Screen screen, TimePoint now) {
  screen_ = screen;
  screen_since_ = now;
  changed_at_ = now;
  asking_end_ = false;
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
  held_ = false;
  quick_answers_ = 0;
  asking_end_ = false;
}

Millis VisitFlow::thank_you_length() const {
  return ending_.low_rating ? std::max(config_.thank_you_duration, config_.complaints_duration)
                            : config_.thank_you_duration;
}

}  // namespace fk::flow
