// show_if: when a follow-up question is shown. A condition may only look back (the kiosk asks in file order),
// and its form must suit the kind of the question it looks at.
#include <algorithm>

#include "sync/model/survey_reading.hpp"

namespace fk::model::detail {

namespace {

constexpr std::string_view kConditionKeys[] = {"question", "at_least", "at_most", "equals", "any_of"};

// Reports the keys of `show_if` that belong to another kind's form; true when there were none.
bool reject_forms(const toml::table& show_if, std::initializer_list<std::string_view> keys,
                  const Question& target, std::string_view use_instead, Diagnostics& diag) {
  bool none = true;
  for (std::string_view key : keys) {
    if (!show_if.contains(key)) continue;
    diag.report(key_source(show_if, key), quoted(key) + " does not apply to " + to_string(target.kind) +
                                              " question " + quoted(target.id) + "; use " +
                                              std::string(use_instead));
    none = false;
  }
  return none;
}

bool read_rating_form(const toml::table& show_if, const Question& target, const Owner& where, Condition& c,
                      Diagnostics& diag) {
  const bool right_form =
      reject_forms(show_if, {"equals", "any_of"}, target, "at_least and/or at_most", diag);
  const std::size_t before = diag.count();
  c.at_least = read_int_in(show_if, "at_least", kRatingMin, kRatingMax, where, diag);
  c.at_most = read_int_in(show_if, "at_most", kRatingMin, kRatingMax, where, diag);
  if (!show_if.contains("at_least") && !show_if.contains("at_most")) {
    // A wrong form was reported already; saying what is missing as well would only repeat it.
    if (right_form)
      diag.report(show_if.source(), where.name + " needs at_least and/or at_most (question " +
                                        quoted(target.id) + " is a rating question)");
    return false;
  }
  if (c.at_least && c.at_most && *c.at_least > *c.at_most) {
    diag.report(show_if.get("at_least")->source(),
                "\"at_least\"" + where.in() + " (" + std::to_string(*c.at_least) +
                    ") is greater than \"at_most\" (" + std::to_string(*c.at_most) +
                    "): the condition is never met");
    return false;
  }
  return diag.count() == before;
}

bool read_yes_no_form(const toml::table& show_if, const Question& target, const Owner& where, Condition& c,
                      Diagnostics& diag) {
  const bool right_form =
      reject_forms(show_if, {"at_least", "at_most", "any_of"}, target, "equals = \"yes\" or \"no\"", diag);
  if (!show_if.contains("equals")) {
    if (right_form)
      diag.report(show_if.source(), where.name + " needs equals = \"yes\" or \"no\" (question " +
                                        quoted(target.id) + " is a yes_no question)");
    return false;
  }
  const auto value = read_string(show_if, "equals", where, diag);
  if (!value) return false;
  if (*value != "yes" && *value != "no") {
    diag.report(show_if.get("equals")->source(),
                "\"equals\"" + where.in() + " must be \"yes\" or \"no\", not " + quoted(*value));
    return false;
  }
  c.equals_yes = *value == "yes";
  return true;
}

bool read_choice_form(const toml::table& show_if, const Question& target, const Owner& where, Condition& c,
                      Diagnostics& diag) {
  const bool right_form =
      reject_forms(show_if, {"at_least", "at_most", "equals"}, target, "any_of = [choice ids]", diag);
  if (!show_if.contains("any_of")) {
    if (right_form)
      diag.report(show_if.source(), where.name + " needs any_of = [choice ids] (question " +
                                        quoted(target.id) + " is a " + to_string(target.kind) + " question)");
    return false;
  }
  const toml::array* list = read_array(show_if, "any_of", where, diag);
  if (list == nullptr) return false;
  bool ok = true;
  if (list->empty()) {
    diag.report(list->source(), "\"any_of\"" + where.in() + " must list at least one choice id");
    ok = false;
  }
  for (const toml::node& item : *list) {
    const auto* s = item.as_string();
    if (s == nullptr) {
      diag.report(item.source(),
                  "each of \"any_of\"" + where.in() + " must be a string, not " + type_name(item));
      ok = false;
      continue;
    }
    const std::string& id = s->get();
    const bool exists = std::any_of(target.choices.begin(), target.choices.end(),
                                    [&id](const Choice& choice) { return choice.id == id; });
    if (!exists) {
      diag.report(item.source(), quoted(id) + " in \"any_of\"" + where.in() +
                                     " is not a choice of question " + quoted(target.id));
      ok = false;
    } else if (std::find(c.any_of.begin(), c.any_of.end(), id) != c.any_of.end()) {
      diag.report(item.source(), quoted(id) + " is listed twice in \"any_of\"" + where.in());
      ok = false;
    } else {
      c.any_of.push_back(id);
    }
  }
  return ok;
}

}  // namespace

std::optional<Condition> read_condition(const toml::table& show_if, std::size_t index,
                                        const std::vector<Question>& earlier,
                                        const std::vector<bool>& kind_known,
                                        const DeclaredQuestions& declared, const Owner& owner,
                                        Diagnostics& diag) {
  const Owner where{"show_if of " + owner.name};
  check_known_keys(show_if, kConditionKeys, where, diag);
  require_key(show_if, "question", where, diag);
  const auto target_id = read_string(show_if, "question", where, diag);
  if (!target_id) return std::nullopt;
  const toml::source_region& at = show_if.get("question")->source();

  const auto found = declared.find(*target_id);
  if (found == declared.end()) {
    diag.report(at, "dangling condition: show_if" + owner.in() + " refers to question " + quoted(*target_id) +
                        ", which does not exist");
    return std::nullopt;
  }
  const DeclaredQuestion& target_decl = found->second;
  if (target_decl.index == index) {
    diag.report(at, "show_if" + owner.in() + " refers to its own question");
    return std::nullopt;
  }
  if (target_decl.index > index) {
    diag.report(at, "dangling condition: show_if" + owner.in() + " refers to question " + quoted(*target_id) +
                        ", which comes later (line " + std::to_string(target_decl.line) +
                        "); a condition may only refer to an earlier question");
    return std::nullopt;
  }
  // A question whose own kind is wrong has been reported already; its form cannot be checked.
  if (!kind_known[target_decl.index]) return std::nullopt;

  const Question& target = earlier[target_decl.index];
  Condition c;
  c.question_id = target.id;
  bool ok = false;
  switch (target.kind) {
    case QuestionKind::Rating:
      ok = read_rating_form(show_if, target, where, c, diag);
      break;
    case QuestionKind::YesNo:
      ok = read_yes_no_form(show_if, target, where, c, diag);
      break;
    case QuestionKind::SingleChoice:
    case QuestionKind::MultipleChoice:
      ok = read_choice_form(show_if, target, where, c, diag);
      break;
    case QuestionKind::FreeText:
    case QuestionKind::Employee:
    case QuestionKind::Contact:
      // Typed answers have no fixed values a condition could compare against.
      diag.report(at, "show_if" + owner.in() + " cannot refer to " + to_string(target.kind) + " question " +
                          quoted(target.id) + "; only rating, yes_no and choice questions can");
      break;
  }
  if (!ok) return std::nullopt;
  return c;
}

}  // namespace fk::model::detail
