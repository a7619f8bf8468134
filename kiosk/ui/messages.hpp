// Every user-visible string of the kiosk's own UI, in one list, so that translation tools can extract them
// (xgettext --keyword=FK_MSG:2) and the font atlas can be built from exactly the characters they use.
#pragma once

#include <string>
#include <vector>

// clang-format off
#define FK_MESSAGES(FK_MSG) \
  FK_MSG(kTouchToStart,     "Touch here to start") \
  FK_MSG(kAttractPromise,   "Anonymous. Nothing is required. Skip any question.") \
  FK_MSG(kNotForEmergencies,"This kiosk is not monitored. In an emergency, call 911.") \
  FK_MSG(kQuestionOf,       "Question %d of %d") \
  FK_MSG(kBack,             "Back") \
  FK_MSG(kNext,             "Next") \
  FK_MSG(kSkip,             "Skip") \
  FK_MSG(kSend,             "Send") \
  FK_MSG(kStartOver,        "Start over") \
  FK_MSG(kYes,              "Yes") \
  FK_MSG(kNo,               "No") \
  FK_MSG(kCharactersOf,     "%d of %d characters") \
  FK_MSG(kTypeHere,         "Type with the keyboard below.") \
  FK_MSG(kKeySpace,         "Space") \
  FK_MSG(kKeyShift,         "Shift") \
  FK_MSG(kKeyDelete,        "Delete") \
  FK_MSG(kKeyAccents,       "àé") \
  FK_MSG(kKeyLetters,       "abc") \
  FK_MSG(kContactConsent,   "I agree to be contacted about my feedback.") \
  FK_MSG(kStillThere,       "Are you still there?") \
  FK_MSG(kTouchToContinue,  "Touch here to continue") \
  FK_MSG(kEndingIn,         "This visit ends in %d seconds.") \
  FK_MSG(kThankYou,         "Thank you!") \
  FK_MSG(kSaved,            "Your feedback has been saved.") \
  FK_MSG(kDone,             "Done") \
  FK_MSG(kUnavailable,      "This kiosk is temporarily unavailable.") \
  FK_MSG(kAskFrontDesk,     "Please ask at the front desk. We are sorry for the trouble.")
// clang-format on

namespace fk::ui::msg {
#define FK_DECLARE_MESSAGE(name, text) inline constexpr const char* name = text;
FK_MESSAGES(FK_DECLARE_MESSAGE)
#undef FK_DECLARE_MESSAGE
}  // namespace fk::ui::msg

namespace fk::ui {

// The text to show for a message id in the current language (English until catalogs are loaded).
const char* tr(const char* msgid);
// All message ids, for the glyph set and the translation template.
const std::vector<const char*>& all_messages();
// printf-style formatting of a translated message with integer arguments.
std::string format(const char* msgid, int a);
std::string format(const char* msgid, int a, int b);

}  // namespace fk::ui
