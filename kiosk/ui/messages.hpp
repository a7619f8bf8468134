// Every user-visible string of the kiosk's own UI, in one list, so that translation tools can extract them
// (see translations/README.md: xgettext --keyword=FK_MSG:2 --keyword=FK_PLURAL:2,3) and the font atlas can be
// built from exactly the characters they and their translations use. The English text is the msgid.
#pragma once

#include <string>
#include <vector>

// clang-format off
#define FK_MESSAGES(FK_MSG) \
  FK_MSG(kTouchToStart,     "Touch here to start") \
  FK_MSG(kAttractPromise,   "Anonymous. Nothing is required. Skip any question.") \
  FK_MSG(kNotForEmergencies,"This kiosk is not monitored. In an emergency, call 911.") \
  /* TRANSLATORS: progress above each question, e.g. "Question 2 of 7". */ \
  FK_MSG(kQuestionOf,       "Question %d of %d") \
  FK_MSG(kBack,             "Back") \
  FK_MSG(kNext,             "Next") \
  FK_MSG(kSkip,             "Skip") \
  FK_MSG(kSend,             "Send") \
  FK_MSG(kStartOver,        "Start over") \
  FK_MSG(kYes,              "Yes") \
  FK_MSG(kNo,               "No") \
  FK_MSG(kTypeHere,         "Type with the keyboard below.") \
  /* TRANSLATORS: on the thank-you note and employee screens, and after a note is sent; a department may replace it. */ \
  FK_MSG(kNoteReaders,      "Your note goes to the employee and their supervisor.") \
  /* TRANSLATORS: keys of the on-screen keyboard; keep them short. */ \
  FK_MSG(kKeySpace,         "Space") \
  FK_MSG(kKeyShift,         "Shift") \
  FK_MSG(kKeyDelete,        "Delete") \
  /* TRANSLATORS: shown above the keyboard in Chinese, which has no Chinese input method yet. */ \
  FK_MSG(kNoChineseInput,   "Chinese characters cannot be typed here yet. Please write in pinyin or another language.") \
  FK_MSG(kContactConsent,   "I agree to be contacted about my feedback.") \
  FK_MSG(kStillThere,       "Are you still there?") \
  FK_MSG(kTouchToContinue,  "Touch here to continue") \
  /* TRANSLATORS: asked after "Start over" is touched; answered Yes or No. */ \
  FK_MSG(kEndVisitConfirm,  "End this visit now?") \
  FK_MSG(kThankYou,         "Thank you!") \
  FK_MSG(kSaved,            "Your feedback has been saved.") \
  FK_MSG(kDone,             "Done") \
  FK_MSG(kUnavailable,      "This kiosk is temporarily unavailable.") \
  FK_MSG(kAskFrontDesk,     "Please ask at the front desk. We are sorry for the trouble.") \
  /* TRANSLATORS: the five words under the faces of a rating, from worst to best. */ \
  FK_MSG(kRatingVeryPoor,   "Very poor") \
  FK_MSG(kRatingPoor,       "Poor") \
  FK_MSG(kRatingOkay,       "Okay") \
  FK_MSG(kRatingGood,       "Good") \
  FK_MSG(kRatingExcellent,  "Excellent") \
  /* TRANSLATORS: a large button on every screen; opens what to do when someone needs help right away. */ \
  FK_MSG(kNeedHelp,         "Need help now?") \
  /* TRANSLATORS: the default help text; a department may replace it with its own. */ \
  FK_MSG(kHelpDefault,      "Please ask at the front desk. Staff there can help you right away.") \
  FK_MSG(kEmergencyCall,    "In an emergency, call 911.") \
  FK_MSG(kClose,            "Close") \
  FK_MSG(kNotForComplaints, "This kiosk is not for complaints.") \
  /* TRANSLATORS: the default text on where complaints go; a department may replace it with its own. */ \
  FK_MSG(kComplaintsDefault,"To make a complaint, please ask at the front desk for a complaint form.") \
  /* TRANSLATORS: outside opening hours, the kiosk's screen. */ \
  FK_MSG(kClosed,           "Closed") \
  /* TRANSLATORS: under "Closed": the weekday, then the time (24-hour clock), e.g. "Opens Monday at 08:00". */ \
  FK_MSG(kOpensAt,          "Opens %s at %s") \
  /* TRANSLATORS: weekday names, used in "Opens %s at %s". */ \
  FK_MSG(kSunday,           "Sunday") \
  FK_MSG(kMonday,           "Monday") \
  FK_MSG(kTuesday,          "Tuesday") \
  FK_MSG(kWednesday,        "Wednesday") \
  FK_MSG(kThursday,         "Thursday") \
  FK_MSG(kFriday,           "Friday") \
  FK_MSG(kSaturday,         "Saturday")

// Messages that show a number, with English singular and plural; the catalog's Plural-Forms picks the form.
#define FK_PLURALS(FK_PLURAL) \
  /* TRANSLATORS: under the note box; the form follows the second number (the limit). */ \
  FK_PLURAL(kCharactersOf,  "%d of %d character", "%d of %d characters") \
  FK_PLURAL(kEndingIn,      "This visit ends in %d second.", "This visit ends in %d seconds.")
// clang-format on

namespace fk::ui {

// A message with a number: its two English forms (the plural form is the catalog's choice).
struct PluralMessage {
  const char* singular;
  const char* plural;
};

namespace msg {
#define FK_DECLARE_MESSAGE(name, text) inline constexpr const char* name = text;
FK_MESSAGES(FK_DECLARE_MESSAGE)
#undef FK_DECLARE_MESSAGE
#define FK_DECLARE_PLURAL(name, one, many) inline constexpr PluralMessage name{one, many};
FK_PLURALS(FK_DECLARE_PLURAL)
#undef FK_DECLARE_PLURAL
}  // namespace msg

// All singular message ids, for the glyph set and the coverage check.
const std::vector<const char*>& all_messages();
// All messages with plural forms.
const std::vector<PluralMessage>& all_plural_messages();

// The weekday names in tm_wday order (0 = Sunday).
inline constexpr const char* kWeekdays[7] = {msg::kSunday,   msg::kMonday, msg::kTuesday, msg::kWednesday,
                                             msg::kThursday, msg::kFriday, msg::kSaturday};

// The English labels of a rating without its own (the survey parser uses the same words).
inline constexpr const char* kDefaultRatingLabels[5] = {
    msg::kRatingVeryPoor, msg::kRatingPoor, msg::kRatingOkay, msg::kRatingGood, msg::kRatingExcellent};

}  // namespace fk::ui
