// The texts whose characters the font atlas must hold: the UI's messages in every language, the survey's
// strings in every language, the language names, and every key of every keyboard.
#pragma once

#include <string>
#include <vector>

#include "kiosk/i18n/catalog.hpp"
#include "kiosk/ui/fonts.hpp"
#include "sync/model/survey.hpp"

namespace fk::ui {

// Every user-visible string of a survey, in every language it has.
std::vector<std::string> survey_texts(const model::SurveyDefinition& survey);
// Every UI message as each catalog translates it (all plural forms), and in English.
std::vector<std::string> catalog_texts(const i18n::Catalogs& catalogs);
// What load_fonts() needs for this survey and these catalogs; `typed` adds characters residents typed that
// no keyboard key shows (composed Hangul syllables).
AtlasTexts atlas_texts(const model::SurveyDefinition& survey, const i18n::Catalogs& catalogs,
                       const std::string& typed = {});

}  // namespace fk::ui
