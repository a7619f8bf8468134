// The real lobby survey from assets/, loaded once per call, for the flow tests.
#pragma once

#include <catch2/catch.hpp>
#include <memory>

#include "sync/model/survey_parser.hpp"

namespace fk::test {

inline std::shared_ptr<const model::SurveyDefinition> lobby() {
  auto survey = model::load_survey_file(FK_ASSETS "/surveys/lobby.toml");
  REQUIRE(survey.ok());
  return std::make_shared<const model::SurveyDefinition>(std::move(survey.value()));
}

}  // namespace fk::test
