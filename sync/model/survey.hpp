// A survey definition: what the kiosk asks, in which order, and when a follow-up is shown.
// Pure data; parsing and validation live in survey_parser.hpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fk::model {

// A user-visible text in one or more languages (language tag → text). The file's default language
// is always present after validation; other languages are added by the languages issue.
struct LocalizedText {
  std::map<std::string, std::string> by_language;
  // The text in `language`, else in `fallback`, else any; empty when there is none.
  const std::string& get(const std::string& language, const std::string& fallback = "en") const;
};

enum class QuestionKind {
  Rating,          // 1..5, five faces with word labels
  YesNo,           // yes / no
  SingleChoice,    // one of `choices`
  MultipleChoice,  // any of `choices`
  FreeText,        // a note, bounded by `max_length` characters
  Employee,        // name or badge of an employee (optional), bounded by `max_length`
  Contact,         // how to reach the resident; stored only with explicit consent
};

const char* to_string(QuestionKind kind);
std::optional<QuestionKind> question_kind_from_string(const std::string& s);

// The pillar a rating measures (the department program's three pillars, or the overall rating).
enum class Pillar { None, Overall, Empathize, Educate, Exceed };
const char* to_string(Pillar pillar);
std::optional<Pillar> pillar_from_string(const std::string& s);

struct Choice {
  std::string id;
  LocalizedText text;
};

// Show a question only when an earlier answer meets this condition.
// Exactly one of the forms applies, chosen by the kind of the earlier question:
//   rating:          at_least / at_most (either or both, 1..5)
//   yes_no:          equals_yes
//   single/multiple: any_of (choice ids; met when any of them was chosen)
struct Condition {
  std::string question_id;
  std::optional<int> at_least;
  std::optional<int> at_most;
  std::optional<bool> equals_yes;
  std::vector<std::string> any_of;
};

struct Question {
  std::string id;
  QuestionKind kind = QuestionKind::Rating;
  LocalizedText text;
  LocalizedText hint;                 // optional smaller line under the question
  Pillar pillar = Pillar::None;       // rating questions only
  std::vector<LocalizedText> labels;  // rating: 5 word labels, 1 (worst) .. 5 (best)
  bool default_labels = false;        // rating without its own labels: the kiosk's translated default words
  std::vector<Choice> choices;        // single/multiple choice
  int max_length = 0;                 // free_text / employee / contact, in characters (code points)
  bool thanks_note = false;           // free_text: a thank-you note for an employee (supervisors read it)
  LocalizedText consent_text;         // contact: the consent statement the resident must accept
  std::optional<Condition> show_if;
};

struct SurveyDefinition {
  std::string id;
  std::int64_t version = 0;
  std::string default_language = "en";
  std::vector<std::string> languages{"en"};
  LocalizedText title;
  LocalizedText welcome;  // the attract screen's line under the title
  std::vector<Question> questions;

  const Question* find(const std::string& question_id) const;
  int index_of(const std::string& question_id) const;  // -1 when absent
};

// Bounds the validator enforces; named here so the UI and the store agree.
inline constexpr int kRatingMin = 1;
inline constexpr int kRatingMax = 5;
inline constexpr int kMaxTextLength = 2000;     // upper bound for any max_length
inline constexpr int kDefaultNoteLength = 500;  // free_text default
inline constexpr int kDefaultNameLength = 80;   // employee / contact default
inline constexpr int kMaxChoices = 12;
inline constexpr int kMaxQuestions = 50;

}  // namespace fk::model
