// What the staff screens draw (StaffView) and what staff ask for (StaffIntent). English only: staff, not
// residents, read these. The staff desk (kiosk/staff/staff_desk.*) fills the view and applies the intents.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace fk::ui {

enum class StaffScreen { PinPad, Home, ChooseSurvey, StartEvent, EventReport, ChooseLanguage, ConfirmLeave };

struct SurveyChoice {
  std::string id;
  std::int64_t version = 0;
  std::string title;
};

struct EventCounts {
  std::int64_t collected = 0;
  std::int64_t confirmed = 0;
  std::int64_t pending = 0;
  std::int64_t quarantined = 0;
};

struct StaffView {
  StaffScreen screen = StaffScreen::PinPad;
  // PIN pad
  int pin_digits = 0;         // digits typed (shown masked)
  std::string pin_message;    // "Wrong PIN…", "Locked for N s", "No staff PIN is set…"
  int locked_seconds = 0;     // > 0: the digit keys are disabled
  bool pin_checking = false;  // the PIN entered is being checked: every key is disabled
  // Home
  std::string kiosk_id, site;
  std::string survey_id;
  std::int64_t survey_version = 0;
  std::int64_t pending = 0, uploaded = 0, quarantined = 0;
  std::string oldest_pending;  // the oldest pending response's age and when it was saved, or empty
  std::string last_sync;       // empty: none since start
  std::string last_error;
  std::string sync_state;
  std::string event_name;  // the running event, or empty
  std::string event_survey;
  std::string event_ends;  // "HH:MM", or empty
  std::string default_language;
  std::string notice;  // the result of the last action ("Sync requested", an error…)
  // Choose survey / start event
  std::vector<SurveyChoice> surveys;
  std::string chosen_survey;  // the survey the event will use (defaults to the active one)
  std::string event_name_input;
  std::string end_time_input;  // "HH:MM" or empty
  int focused_field = 0;       // 0: the name, 1: the end time
  std::string form_error;
  // Event report
  std::string report_event;
  EventCounts report;
  // Choose language
  std::vector<std::pair<std::string, std::string>> languages;  // tag, native name
};

namespace staff_intent {
struct Digit {
  char digit;
};
struct DeletePin {};
struct SubmitPin {};
struct Cancel {};  // back to the resident screens
struct Open {
  StaffScreen screen;
};
struct SyncNow {};
struct ChooseSurvey {
  std::string id;
};
struct EditName {
  std::string text;
};
struct EditEndTime {
  std::string text;
};
struct Focus {
  int field;
};
struct PickEventSurvey {
  std::string id;
};
struct StartEvent {};
struct EndEvent {};
struct SetLanguage {
  std::string tag;
};
struct Leave {};  // confirmed: leave kiosk mode
}  // namespace staff_intent

using StaffIntent =
    std::variant<std::monostate, staff_intent::Digit, staff_intent::DeletePin, staff_intent::SubmitPin,
                 staff_intent::Cancel, staff_intent::Open, staff_intent::SyncNow, staff_intent::ChooseSurvey,
                 staff_intent::EditName, staff_intent::EditEndTime, staff_intent::Focus,
                 staff_intent::PickEventSurvey, staff_intent::StartEvent, staff_intent::EndEvent,
                 staff_intent::SetLanguage, staff_intent::Leave>;

}  // namespace fk::ui
