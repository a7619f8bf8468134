// Private to fk_model: what the survey parser's files share — typed reading of TOML fields that records every
// mistake (file, line, reason) instead of stopping at the first, and the show_if reader.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sync/model/survey.hpp"
#include "sync/model/survey_parser.hpp"

namespace fk::model::detail {

// Collects errors while the parser carries on; hands them back in line order.
class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  void report(const toml::source_region& where, std::string reason);
  void report(int line, int column, std::string reason);
  bool empty() const { return errors_.empty(); }
  std::size_t count() const { return errors_.size(); }
  // The errors sorted by line and column (ties keep the order they were found in).
  SurveyErrors take() &&;

 private:
  std::string file_;
  SurveyErrors errors_;
};

// Names the table being read in messages: "" for the top level, else e.g. `question "overall"`.
struct Owner {
  std::string name;
  // " in question \"overall\"", or "" at the top level.
  std::string in() const { return name.empty() ? std::string() : " in " + name; }
};

// The language context every text is checked against.
struct Languages {
  std::string default_language;
  std::vector<std::string> all;
  bool require_all = true;  // every text must have every language (off once the list itself is wrong)
  bool contains(std::string_view tag) const;
};

std::string quoted(std::string_view s);
// "a string", "an integer", … for "must be X, not Y" messages.
const char* type_name(const toml::node& node);
int line_of(const toml::source_region& where);
// Where `key` is written in `table` (the table's own position when absent).
const toml::source_region& key_source(const toml::table& table, std::string_view key);

// Survey, question and choice ids: 1..64 of [a-z0-9_-].
bool is_valid_id(std::string_view id);
bool is_language_tag(std::string_view tag);

// Reports every key of `table` that is not in `allowed`.
void check_known_keys(const toml::table& table, std::span<const std::string_view> allowed, const Owner& owner,
                      Diagnostics& diag);
// Reports `key` as required when the table lacks it.
void require_key(const toml::table& table, std::string_view key, const Owner& owner, Diagnostics& diag);

// Typed readers: nullopt when the key is absent (no error) or has the wrong type (reported).
std::optional<std::string> read_string(const toml::table& table, std::string_view key, const Owner& owner,
                                       Diagnostics& diag);
std::optional<std::int64_t> read_integer(const toml::table& table, std::string_view key, const Owner& owner,
                                         Diagnostics& diag);
// An integer that must lie in [min, max]; out-of-range values are reported and yield nullopt.
std::optional<int> read_int_in(const toml::table& table, std::string_view key, int min, int max,
                               const Owner& owner, Diagnostics& diag);
const toml::array* read_array(const toml::table& table, std::string_view key, const Owner& owner,
                              Diagnostics& diag);
const toml::table* read_table(const toml::table& table, std::string_view key, const Owner& owner,
                              Diagnostics& diag);
// An id-valued key: a string matching is_valid_id.
std::optional<std::string> read_id(const toml::table& table, std::string_view key, const Owner& owner,
                                   Diagnostics& diag);

// A text: a non-empty string (the default language) or a table of language → non-empty string that
// includes the default language. `what` names it in messages, e.g. `labels[2]`.
std::optional<LocalizedText> read_text_node(const toml::node& node, std::string_view what,
                                            const Languages& langs, const Owner& owner, Diagnostics& diag);
std::optional<LocalizedText> read_text(const toml::table& table, std::string_view key, const Languages& langs,
                                       const Owner& owner, Diagnostics& diag);

// Where each question id is first declared (pre-scanned, so that a reference to a later question can be
// told apart from a reference to one that does not exist).
struct DeclaredQuestion {
  std::size_t index = 0;
  int line = 0;
};
using DeclaredQuestions = std::map<std::string, DeclaredQuestion, std::less<>>;

// Reads `show_if` of the question at `index`; `earlier` are the questions already read (same indexes),
// `kind_known[i]` says whether question i's kind was valid (no form check is possible otherwise).
std::optional<Condition> read_condition(const toml::table& show_if, std::size_t index,
                                        const std::vector<Question>& earlier,
                                        const std::vector<bool>& kind_known,
                                        const DeclaredQuestions& declared, const Owner& owner,
                                        Diagnostics& diag);

}  // namespace fk::model::detail
