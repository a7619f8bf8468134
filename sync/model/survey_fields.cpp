// Typed reading of TOML survey fields: each reader reports a mistake and returns nothing, so that the
// parser can carry on and report every mistake in the file at once.
#include <algorithm>
#include <cstdio>

#include "sync/model/survey_reading.hpp"

namespace fk::model::detail {

namespace {

// Values quoted in messages are cut here: a message is one line on a console, not a copy of the file.
constexpr std::size_t kMaxQuotedBytes = 48;
constexpr std::size_t kMaxIdLength = 64;
constexpr std::size_t kMaxLanguageTagLength = 35;

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

bool is_lower_alpha(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return is_lower_alpha(c) || is_digit(c) || (c >= 'A' && c <= 'Z');
}

}  // namespace

void Diagnostics::report(const toml::source_region& where, std::string reason) {
  report(static_cast<int>(where.begin.line), static_cast<int>(where.begin.column), std::move(reason));
}

void Diagnostics::report(int line, int column, std::string reason) {
  errors_.push_back(SurveyError{file_, line, column, std::move(reason)});
}

SurveyErrors Diagnostics::take() && {
  std::stable_sort(errors_.begin(), errors_.end(), [](const SurveyError& a, const SurveyError& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  return std::move(errors_);
}

bool Languages::contains(std::string_view tag) const {
  return std::find(all.begin(), all.end(), tag) != all.end();
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  std::size_t end = std::min(s.size(), kMaxQuotedBytes);
  // Cut on a code point boundary so the message stays valid UTF-8.
  while (end < s.size() && end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  for (std::size_t i = 0; i < end; ++i) {
    const char c = s[i];
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buf;
    } else {
      out += c;
    }
  }
  if (end < s.size()) out += "...";
  out += '"';
  return out;
}

const char* type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

int line_of(const toml::source_region& where) {
  return static_cast<int>(where.begin.line);
}

const toml::source_region& key_source(const toml::table& table, std::string_view key) {
  const auto it = table.find(key);
  return it == table.end() ? table.source() : it->first.source();
}

bool is_valid_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength) return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return is_lower_alpha(c) || is_digit(c) || c == '_' || c == '-'; });
}

bool is_language_tag(std::string_view tag) {
  // BCP 47 shape, loosely: a 2-3 letter primary language, then subtags ("en", "es-MX", "zh-Hans").
  if (tag.size() > kMaxLanguageTagLength) return false;
  std::size_t i = 0;
  while (i < tag.size() && is_lower_alpha(tag[i])) ++i;
  if (i < 2 || i > 3) return false;
  while (i < tag.size()) {
    if (tag[i] != '-') return false;
    const std::size_t start = ++i;
    while (i < tag.size() && is_alnum(tag[i])) ++i;
    if (i == start || i - start > 8) return false;
  }
  return true;
}

void check_known_keys(const toml::table& table, std::span<const std::string_view> allowed, const Owner& owner,
                      Diagnostics& diag) {
  for (const auto& [key, value] : table) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
    diag.report(key.source(), "unknown key " + quoted(key.str()) +
                                  (owner.name.empty() ? std::string(" at top level") : owner.in()));
  }
}

void require_key(const toml::table& table, std::string_view key, const Owner& owner, Diagnostics& diag) {
  if (!table.contains(key)) diag.report(table.source(), "missing required key " + quoted(key) + owner.in());
}

namespace {

// Reports a wrong type at the value, so the column points at what needs changing.
void report_type(const toml::node& node, std::string_view key, const char* expected, const Owner& owner,
                 Diagnostics& diag) {
  diag.report(node.source(), quoted(key) + owner.in() + " must be " + expected + ", not " + type_name(node));
}

}  // namespace

std::optional<std::string> read_string(const toml::table& table, std::string_view key, const Owner& owner,
                                       Diagnostics& diag) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return std::nullopt;
  if (const auto* s = node->as_string()) return s->get();
  report_type(*node, key, "a string", owner, diag);
  return std::nullopt;
}

std::optional<std::int64_t> read_integer(const toml::table& table, std::string_view key, const Owner& owner,
                                         Diagnostics& diag) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return std::nullopt;
  if (const auto* i = node->as_integer()) return i->get();
  report_type(*node, key, "an integer", owner, diag);
  return std::nullopt;
}

std::optional<int> read_int_in(const toml::table& table, std::string_view key, int min, int max,
                               const Owner& owner, Diagnostics& diag) {
  const auto value = read_integer(table, key, owner, diag);
  if (!value) return std::nullopt;
  if (*value < min || *value > max) {
    diag.report(table.get(key)->source(), quoted(key) + owner.in() + " must be " + std::to_string(min) +
                                              ".." + std::to_string(max) + ", not " + std::to_string(*value));
    return std::nullopt;
  }
  return static_cast<int>(*value);
}

const toml::array* read_array(const toml::table& table, std::string_view key, const Owner& owner,
                              Diagnostics& diag) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return nullptr;
  if (const auto* a = node->as_array()) return a;
  report_type(*node, key, "an array", owner, diag);
  return nullptr;
}

const toml::table* read_table(const toml::table& table, std::string_view key, const Owner& owner,
                              Diagnostics& diag) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return nullptr;
  if (const auto* t = node->as_table()) return t;
  report_type(*node, key, "a table", owner, diag);
  return nullptr;
}

std::optional<std::string> read_id(const toml::table& table, std::string_view key, const Owner& owner,
                                   Diagnostics& diag) {
  auto id = read_string(table, key, owner, diag);
  if (id && !is_valid_id(*id)) {
    diag.report(
        table.get(key)->source(),
        quoted(key) + owner.in() + " must be 1..64 characters of a-z, 0-9, _ and -, not " + quoted(*id));
    return std::nullopt;
  }
  return id;
}

namespace {

// Every language the survey lists must have every text: a resident who picked it must not meet another one.
bool has_every_language(const toml::node& node, const LocalizedText& text, std::string_view what,
                        const Languages& langs, const Owner& owner, Diagnostics& diag) {
  if (!langs.require_all) return true;
  std::string missing;
  for (const std::string& language : langs.all) {
    if (language == langs.default_language || text.by_language.count(language) != 0) continue;
    missing += (missing.empty() ? "" : ", ") + quoted(language);
  }
  if (missing.empty()) return true;
  diag.report(node.source(), std::string(what) + owner.in() + " has no text in " + missing +
                                 " (every language in \"languages\" needs every text)");
  return false;
}

}  // namespace

std::optional<LocalizedText> read_text_node(const toml::node& node, std::string_view what,
                                            const Languages& langs, const Owner& owner, Diagnostics& diag) {
  if (const auto* s = node.as_string()) {
    if (is_blank(s->get())) {
      diag.report(node.source(), std::string(what) + owner.in() + " must not be empty");
      return std::nullopt;
    }
    LocalizedText text{{{langs.default_language, s->get()}}};
    if (!has_every_language(node, text, what, langs, owner, diag)) return std::nullopt;
    return text;
  }
  const auto* table = node.as_table();
  if (table == nullptr) {
    diag.report(node.source(), std::string(what) + owner.in() +
                                   " must be a string or a table of languages, not " + type_name(node));
    return std::nullopt;
  }
  LocalizedText text;
  bool ok = true;
  for (const auto& [key, value] : *table) {
    const std::string language(key.str());
    if (!langs.contains(language)) {
      diag.report(key.source(), "language " + quoted(language) + " in " + std::string(what) + owner.in() +
                                    " is not listed in languages");
      ok = false;
    } else if (const auto* s = value.as_string(); s == nullptr) {
      diag.report(value.source(), std::string(what) + " (" + language + ")" + owner.in() +
                                      " must be a string, not " + type_name(value));
      ok = false;
    } else if (is_blank(s->get())) {
      diag.report(value.source(),
                  std::string(what) + " (" + language + ")" + owner.in() + " must not be empty");
      ok = false;
    } else {
      text.by_language.emplace(language, s->get());
    }
  }
  if (!table->contains(langs.default_language)) {
    diag.report(node.source(), std::string(what) + owner.in() + " has no " + quoted(langs.default_language) +
                                   " text (the default language)");
    ok = false;
  }
  if (ok && !has_every_language(node, text, what, langs, owner, diag)) ok = false;
  if (!ok) return std::nullopt;
  return text;
}

std::optional<LocalizedText> read_text(const toml::table& table, std::string_view key, const Languages& langs,
                                       const Owner& owner, Diagnostics& diag) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return std::nullopt;
  return read_text_node(*node, quoted(key), langs, owner, diag);
}

}  // namespace fk::model::detail
