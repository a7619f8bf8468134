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
// Sets the answer to the question on screen; `advance` moves on as Next would (a face tap, yes/no), unless
// it came too fast to be read (then the answer waits, selected, for Next: see FlowConfig).
struct SetAnswer {
  model::AnswerValue value;
  bool advance = false;
};
struct ClearAnswer {};
struct Next {};       // the next shown question, or submit after the last one
struct Back {};       // the previous shown question, or the attract screen from the first
struct StillHere {};  // answers "still there?"
// Leaves the visit early, storing as inactivity would; the attract screen keeps the resident's language.
// On a question it is the answer to AskEndVisit's question, and does nothing unless that was asked.
struct EndVisit {};
struct Finish {};       // leaves the thank-you or unavailable screen now
struct AskEndVisit {};  // "Start over" on a question: its footer asks "End this visit now?"
struct KeepVisit {};    // "No" to that question: the footer is back as it was

using Intent = std::variant<std::monostate, StartVisit, ChooseLanguage, SetAnswer, ClearAnswer, Next, Back,
                            StillHere, EndVisit, Finish, AskEndVisit, KeepVisit>;

inline bool is_none(const Intent& intent) {
  return std::holds_alternative<std::monostate>(intent);
}

}  // namespace fk::flow
