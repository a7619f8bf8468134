// Whether a conditional question is shown, given the answer to the question its condition names.
#pragma once

#include "sync/model/response.hpp"
#include "sync/model/survey.hpp"

namespace fk::model {

// `answer` is null when the named question was skipped or not shown: then the condition is not met.
bool condition_met(const Condition& condition, const AnswerValue* answer);

}  // namespace fk::model
