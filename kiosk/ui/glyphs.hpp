// The texts whose characters the font atlas must hold: the UI's messages, the survey's strings, the keyboard.
#pragma once

#include <string>
#include <vector>

#include "sync/model/survey.hpp"

namespace fk::ui {

// Every user-visible string of a survey, in every language it has.
std::vector<std::string> survey_texts(const model::SurveyDefinition& survey);
// What load_fonts() needs for this survey.
std::vector<std::string> atlas_texts(const model::SurveyDefinition& survey);

}  // namespace fk::ui
