#include "sync/model/survey.hpp"

#include <array>
#include <utility>

namespace fk::model {

namespace {

// The names survey files use.
constexpr std::array<std::pair<QuestionKind, const char*>, 7> kKindNames{{
    {QuestionKind::Rating, "rating"},
    {QuestionKind::YesNo, "yes_no"},
    {QuestionKind::SingleChoice, "single_choice"},
    {QuestionKind::MultipleChoice, "multiple_choice"},
    {QuestionKind::FreeText, "free_text"},
    {QuestionKind::Employee, "employee"},
    {QuestionKind::Contact, "contact"},
}};

constexpr std::array<std::pair<Pillar, const char*>, 5> kPillarNames{{
    {Pillar::None, "none"},
    {Pillar::Overall, "overall"},
    {Pillar::Empathize, "empathize"},
    {Pillar::Educate, "educate"},
    {Pillar::Exceed, "exceed"},
}};

}  // namespace

const std::string& LocalizedText::get(const std::string& language, const std::string& fallback) const {
  // Returned by reference, so "no text" needs an object that outlives the call.
  static const std::string kNone;
  if (auto it = by_language.find(language); it != by_language.end()) return it->second;
  if (auto it = by_language.find(fallback); it != by_language.end()) return it->second;
  if (!by_language.empty()) return by_language.begin()->second;
  return kNone;
}

const char* to_string(QuestionKind kind) {
  for (const auto& [k, name] : kKindNames)
    if (k == kind) return name;
  return "unknown";
}

std::optional<QuestionKind> question_kind_from_string(const std::string& s) {
  for (const auto& [k, name] : kKindNames)
    if (s == name) return k;
  return std::nullopt;
}

const char* to_string(Pillar pillar) {
  for (const auto& [p, name] : kPillarNames)
    if (p == pillar) return name;
  return "unknown";
}

std::optional<Pillar> pillar_from_string(const std::string& s) {
  for (const auto& [p, name] : kPillarNames)
    if (s == name) return p;
  return std::nullopt;
}

const Question* SurveyDefinition::find(const std::string& question_id) const {
  const int i = index_of(question_id);
  return i < 0 ? nullptr : &questions[static_cast<std::size_t>(i)];
}

int SurveyDefinition::index_of(const std::string& question_id) const {
  for (std::size_t i = 0; i < questions.size(); ++i)
    if (questions[i].id == question_id) return static_cast<int>(i);
  return -1;
}

}  // namespace fk::model
