#include "kiosk/ui/glyphs.hpp"

#include "kiosk/i18n/languages.hpp"
#include "kiosk/ui/keyboard.hpp"
#include "kiosk/ui/messages.hpp"

namespace fk::ui {
namespace {

void add(std::vector<std::string>& out, const model::LocalizedText& text) {
  for (const auto& [language, s] : text.by_language) out.push_back(s);
}

// Counts that select every plural form of the catalogs' languages (Arabic has six: 0, 1, 2, 3-10, 11-99, 100+).
constexpr long kPluralSamples[] = {0, 1, 2, 3, 11, 100, 101};

void add_catalog(std::vector<std::string>& out, const i18n::Catalog& catalog) {
  for (const char* m : all_messages()) out.emplace_back(catalog.text(m));
  for (const PluralMessage& m : all_plural_messages()) {
    for (long n : kPluralSamples) out.emplace_back(catalog.plural(m.singular, m.plural, n));
  }
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

std::vector<std::string> catalog_texts(const i18n::Catalogs& catalogs) {
  std::vector<std::string> out;
  add_catalog(out, i18n::Catalog{});
  for (const auto& [language, catalog] : catalogs.all()) add_catalog(out, catalog);
  return out;
}

AtlasTexts atlas_texts(const model::SurveyDefinition& survey, const i18n::Catalogs& catalogs,
                       const std::string& typed) {
  AtlasTexts out;
  out.texts = survey_texts(survey);
  for (std::string& s : catalog_texts(catalogs)) out.texts.push_back(std::move(s));
  for (const i18n::Language& l : i18n::supported_languages()) out.texts.emplace_back(l.native_name);
  out.texts.emplace_back("|0123456789");  // caret, counters
  out.keys = keyboard_characters();
  out.typed = typed;
  return out;
}

}  // namespace fk::ui
