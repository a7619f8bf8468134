// The state machine of one resident's visit: attract → questions → thank you → attract, with inactivity,
// back, conditional follow-ups, and the rule that "thank you" follows only a returned COMMIT.
// Plain C++: no ImGui, no SDL; time is passed in, so tests drive it with an injected clock.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/flow/intent.hpp"
#include "sync/model/response.hpp"
#include "sync/model/survey.hpp"
#include "sync/store/response_store.hpp"

namespace fk::flow {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Millis = std::chrono::milliseconds;

// What happens to answers given before a resident walks away.
enum class PartialPolicy {
  Discard,        // nothing is stored
  SubmitPartial,  // stored with partial = true, when at least one question was answered
};
std::optional<PartialPolicy> partial_policy_from_string(const std::string& s);
const char* to_string(PartialPolicy policy);

struct FlowConfig {
  Millis inactivity_timeout{45'000};  // no touch for this long on a question → "still there?"
  // Unanswered "still there?" for this long → the visit ends. At least 20 s: WCAG 2.2.1 (timing adjustable)
  // asks for 20 s to answer a warning that time is running out; the config refuses less.
  Millis still_there_timeout{20'000};
  Millis thank_you_duration{6'000};  // thank-you screen, then back to the attract screen
  // …after a low overall rating (1 or 2), when it also says where complaints go: long enough to read that.
  Millis complaints_duration{15'000};
  Millis unavailable_duration{10'000};
  // Taps this soon after what was under them changed are ignored: a double tap on a face must not answer
  // the next question, which sits under the same finger, before the resident has seen it. Judged per part
  // of the screen: a new question or screen changes everything; the footer's "End this visit now?" changes
  // only the footer; a key on the same note screen is never thrown away.
  Millis tap_guard{350};
  // The same for "still there?", longer: it appears while the resident may be mid-tap on a key or an answer,
  // and that tap must not land on one of its buttons.
  Millis still_there_guard{600};
  // Mashing (a child's taps on one spot) must not walk through the survey. An answer that would move on by
  // itself (a face, yes/no, one choice) only shows selected and waits for Next when it came sooner than
  // this after its question appeared: nobody has read a question that fast…
  Millis min_read_time{400};
  // …or when the `quick_run` answers before it each came sooner than `quick_answer` after their question
  // appeared: a run at a pace no reader keeps up. Once an answer waited, the question waits for Next.
  Millis quick_answer{700};
  int quick_run = 2;
  // "Send" works only once the last question has been on screen this long, so a burst of taps that reaches
  // the last question cannot send it too. Taps before then are ignored; the button shows it is not ready.
  Millis send_delay{1'000};
  PartialPolicy partial_policy = PartialPolicy::Discard;
  // Misuse (DESIGN.md guarantee 7: flagged, never deleted). A response completed sooner than this after the
  // previous one on this kiosk is flagged "rapid_repeat" (a child's fifty taps are not fifty residents)…
  Millis misuse_interval{5'000};
  // …and one whose visit took less than this per answer given is flagged "too_fast": nobody reads a question
  // and answers it that quickly.
  Millis min_time_per_answer{700};
  std::string default_language = "en";
};

enum class Screen {
  Attract,
  Question,
  StillThere,
  ThankYou,     // only after the store's save() returned success
  Unavailable,  // the save failed or the store cannot be used: "temporarily unavailable"
};
const char* to_string(Screen screen);

// Where the resident is among the questions they will see: `total` counts those shown now and those an
// answer still to be given can open, so it only shrinks as the resident goes on, and position == total only
// on a question nothing can follow.
struct Progress {
  int position = 0;  // 1-based
  int total = 0;
};

// What the thank-you screen says about the visit it thanks for (the visit itself is gone by then).
struct VisitEnding {
  bool note = false;        // a thank-you note (or an employee's name) was sent: say who reads it
  bool low_rating = false;  // the overall rating was 1 or 2: say where complaints go
};

struct FlowDeps {
  store::ResponseStore* store = nullptr;              // null: the kiosk cannot store, so it shows Unavailable
  std::function<std::string()> new_uuid;              // default: model::new_uuid_v4
  std::function<std::string()> wall_clock;            // default: model::utc_now_iso8601 (display only)
  std::function<void(const std::string&)> log_error;  // default: stderr
  std::function<void()> on_saved;  // after each committed save (the uploader is told there is work)
};

class VisitFlow {
 public:
  VisitFlow(std::shared_ptr<const model::SurveyDefinition> survey, FlowConfig config, FlowDeps deps);

  // Applies one intent; intents that make no sense on the current screen are ignored (a double tap).
  void apply(const Intent& intent, TimePoint now);
  // A finger touched the screen at `now`, whether or not the touch changed anything (a key at the note's
  // limit, a key that does nothing): the resident is there, so the inactivity clock starts again.
  void touched(TimePoint now);
  // Moves on when a timeout has passed. Call after waking from a wait.
  void tick(TimePoint now);
  // The next moment tick() could change something (a timeout, or a countdown's next second).
  std::optional<TimePoint> next_wakeup(TimePoint now) const;

  // A new survey takes effect at the next visit, never in the middle of one.
  void set_survey(std::shared_ptr<const model::SurveyDefinition> survey);
  // Tags the responses of visits started from now on with an event (empty: none, the lobby). A visit in
  // progress keeps the tag it started with.
  void set_event(std::string event) { event_ = std::move(event); }
  // The language the attract screen and unpicked visits use from the next visit on (staff changed it).
  void set_default_language(std::string tag) { config_.default_language = std::move(tag); }
  const std::string& event() const { return event_; }

  Screen screen() const { return screen_; }
  const model::SurveyDefinition& survey() const { return *survey_; }
  const std::shared_ptr<const model::SurveyDefinition>& survey_ptr() const { return survey_; }
  const FlowConfig& config() const { return config_; }
  // The language on screen: the visit's, or the one picked on the attract screen; empty means the default.
  // A picked language lasts for one visit, or until the attract screen has been left alone for
  // inactivity_timeout.
  const std::string& language() const { return language_; }
  // The question on screen (Question and StillThere screens), else null.
  const model::Question* current_question() const;
  const model::AnswerValue* current_answer() const;
  Progress progress() const;
  bool is_last_question() const;
  // Next would send now (false on the last question in its first send_delay: the button is not ready).
  bool send_ready(TimePoint now) const;
  // The footer asks "End this visit now?" (after "Start over").
  bool asking_end() const { return asking_end_; }
  // On the thank-you screen: what to add to the thanks.
  const VisitEnding& ending() const { return ending_; }
  // Whole seconds left on a screen with a countdown (StillThere, ThankYou), else 0.
  int seconds_left(TimePoint now) const;
  // The UUID of the visit in progress (empty on the attract screen).
  const std::string& visit_uuid() const { return uuid_; }
  // The answers that would be stored now: shown questions only, in survey order.
  std::vector<model::Answer> visible_answers() const;

 private:
  bool is_visible(int index) const;
  int next_visible(int from) const;
  // A tap's intent aimed at something that changed under the finger within tap_guard before it touched.
  bool guarded(const Intent& intent, TimePoint touched) const;
  // Whether an answer that moves on by itself may do so now (see FlowConfig's mashing rules).
  bool may_move_on(TimePoint now);
  // Next: the next shown question, or submit; false when it is too early to send.
  bool move_on(TimePoint now);
  void start(const std::string& language, TimePoint now);
  void submit(bool partial, TimePoint now);
  // `keep_language`: the resident chose to end it, so the attract screen stays in their language.
  void end_visit(TimePoint now, bool keep_language = false);
  void go(Screen screen, TimePoint now);
  void set_asking_end(bool asking, TimePoint now);
  void reset_visit();
  Millis thank_you_length() const;

  std::shared_ptr<const model::SurveyDefinition> survey_;
  std::shared_ptr<const model::SurveyDefinition> next_survey_;
  FlowConfig config_;
  FlowDeps deps_;

  Screen screen_ = Screen::Attract;
  TimePoint screen_since_{};
  std::optional<TimePoint> changed_at_;  // when the screen or the question on it last changed (tap guard)
  std::optional<TimePoint> footer_changed_at_;  // when the question's footer last asked or stopped asking
  bool asking_end_ = false;                     // the footer asks "End this visit now?"
  bool held_ = false;      // an answer on this question waited for Next: later ones wait too
  int quick_answers_ = 0;  // answers in a row that came sooner than quick_answer after their question
  VisitEnding ending_;     // what the thank-you screen says about the visit just stored
  TimePoint last_activity_{};
  std::string uuid_;
  std::string language_;
  std::string started_at_;
  TimePoint visit_started_{};
  std::string visit_event_;                 // the event this visit counts for
  std::string event_;                       // the event new visits are tagged with
  std::optional<TimePoint> last_saved_at_;  // when this kiosk last stored a response (monotonic)
  int current_ = -1;                        // index into survey_->questions
  std::vector<int> history_;                // indices shown before current_, for Back
  std::map<std::string, model::AnswerValue> answers_;
};

}  // namespace fk::flow
