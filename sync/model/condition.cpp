#include "sync/model/condition.hpp"

#include <algorithm>

namespace fk::model {

bool condition_met(const Condition& condition, const AnswerValue* answer) {
  if (answer == nullptr) return false;
  if (const int* rating = std::get_if<int>(answer)) {
    if (condition.at_least && *rating < *condition.at_least) return false;
    if (condition.at_most && *rating > *condition.at_most) return false;
    return condition.at_least || condition.at_most;
  }
  if (const bool* yes = std::get_if<bool>(answer)) {
    return condition.equals_yes && *condition.equals_yes == *yes;
  }
  if (const auto* chosen = std::get_if<std::vector<std::string>>(answer)) {
    return std::any_of(condition.any_of.begin(), condition.any_of.end(), [&](const std::string& id) {
      return std::find(chosen->begin(), chosen->end(), id) != chosen->end();
    });
  }
  return false;  // text and contact answers are never conditions (the validator refuses them)
}

}  // namespace fk::model
