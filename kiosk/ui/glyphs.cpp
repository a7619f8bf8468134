#include "kiosk/ui/glyphs.hpp"

#include "kiosk/ui/keyboard.hpp"
#include "kiosk/ui/messages.hpp"

namespace fk::ui {
namespace {

void add(std::vector<std::string>& out, const model::LocalizedText& text) {
  for (const auto& [language, s] : text.by_language) out.push_back(s);
}

}  // namespace

std::vector<std::string> survey_texts(const model::SurveyDefinition& survey) {
  std::vector<std::string> out;
  add(out, survey.title);
  add(out, survey.welcome);
  for (const model::Question& q : survey.questions) {
    add(out, q.text);
    add(out, q.hint);
    add(out, q.consent_text);
    for (const auto& label : q.labels) add(out, label);
    for (const auto& choice : q.choices) add(out, choice.text);
  }
  return out;
}

std::vector<std::string> atlas_texts(const model::SurveyDefinition& survey) {
  std::vector<std::string> out = survey_texts(survey);
  for (const char* m : all_messages()) out.emplace_back(tr(m));
  out.push_back(keyboard_characters());
  out.emplace_back("|0123456789");  // caret, counters
  return out;
}

}  // namespace fk::ui
