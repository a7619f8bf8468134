// What a resident asked for on a screen. Screens return intents; only the flow changes state.
#pragma once

#include <string>
#include <variant>

#include "sync/model/response.hpp"

namespace fk::flow {

struct StartVisit {
  std::string language;  // empty: the kiosk's default language
};
// Picks the language on the attract screen: it shows in that language, and the next visit runs in it.
struct ChooseLanguage {
  std::string language;
};
// Sets the answer to the question on screen; `advance` moves on as Next would (a face tap, yes/no).
struct SetAnswer {
  model::AnswerValue value;
  bool advance = false;
};
struct ClearAnswer {};
struct Next {};       // the next shown question, or submit after the last one
struct Back {};       // the previous shown question, or the attract screen from the first
struct StillHere {};  // answers "still there?"
struct EndVisit {};   // leaves the visit early ("start over"): handled like inactivity
struct Finish {};     // leaves the thank-you or unavailable screen now

using Intent = std::variant<std::monostate, StartVisit, ChooseLanguage, SetAnswer, ClearAnswer, Next, Back,
                            StillHere, EndVisit, Finish>;

inline bool is_none(const Intent& intent) {
  return std::holds_alternative<std::monostate>(intent);
}

}  // namespace fk::flow
