#include "kiosk/site_config.hpp"

#include <set>

#include "kiosk/i18n/languages.hpp"

namespace fk::kiosk {
namespace {

std::string at(const std::string& path, const toml::source_region& source) {
  return path + ":" + std::to_string(source.begin.line) + ":" + std::to_string(source.begin.column) + ": ";
}

std::optional<Error> unknown(const std::string& path, const toml::table& table,
                             const std::set<std::string>& known, const char* section) {
  for (const auto& [key, node] : table) {
    if (!known.count(std::string(key.str()))) {
      return Error{at(path, key.source()) + "unknown key \"" + std::string(key.str()) + "\" in [" + section +
                   "]"};
    }
  }
  return std::nullopt;
}

// One text by language tag; every tag must be a language the kiosk speaks.
std::optional<Error> read_texts(const std::string& path, const toml::table& scope, const char* key,
                                std::map<std::string, std::string>& out) {
  const toml::node* node = scope.get(key);
  if (!node) return std::nullopt;
  const toml::table* by_language = node->as_table();
  if (!by_language) {
    return Error{at(path, node->source()) + key + " must be a table of texts by language, e.g. " + key +
                 " = { en = \"...\", es = \"...\" }"};
  }
  for (const auto& [tag, text] : *by_language) {
    if (i18n::find_language(std::string(tag.str())) == nullptr) {
      std::string known;
      for (const auto& l : i18n::supported_languages())
        known += (known.empty() ? "" : ", ") + std::string(l.tag);
      return Error{at(path, tag.source()) + "\"" + std::string(tag.str()) + "\" is not a kiosk language (" +
                   known + ")"};
    }
    const auto s = text.value<std::string>();
    if (!s || s->empty() || s->size() > kMaxScopeTextBytes) {
      return Error{at(path, text.source()) + key + "." + std::string(tag.str()) + " must be a text of 1 to " +
                   std::to_string(kMaxScopeTextBytes) + " bytes"};
    }
    out[std::string(tag.str())] = *s;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Error> read_hours(const std::string& path, const toml::table& hours, KioskConfig& config) {
  std::set<std::string> known = {"time_zone"};
  for (const char* day : schedule::kDayKeys) known.insert(day);
  if (auto e = unknown(path, hours, known, "hours")) return e;
  const toml::node* zone = hours.get("time_zone");
  if (!zone) {
    return Error{at(path, hours.source()) +
                 "[hours] needs time_zone, e.g. time_zone = \"America/Los_Angeles\""};
  }
  const auto name = zone->value<std::string>();
  if (!name)
    return Error{at(path, zone->source()) + "time_zone must be a text such as \"America/Los_Angeles\""};
  if (auto reason = schedule::check_time_zone(*name)) return Error{at(path, zone->source()) + *reason};

  std::array<std::vector<schedule::Range>, 7> days;
  for (std::size_t d = 0; d < days.size(); ++d) {
    const toml::node* node = hours.get(schedule::kDayKeys[d]);
    if (!node) continue;  // a day not listed is closed, as `day = []`
    const toml::array* ranges = node->as_array();
    if (!ranges) {
      return Error{at(path, node->source()) + schedule::kDayKeys[d] +
                   " must be a list of ranges, e.g. [\"08:00-12:00\", \"13:00-18:00\"], or [] when closed"};
    }
    for (const toml::node& item : *ranges) {
      const auto text = item.value<std::string>();
      if (!text) return Error{at(path, item.source()) + "a range must be a text like \"08:00-12:00\""};
      auto range = schedule::parse_range(*text);
      if (!range) return Error{at(path, item.source()) + range.error().message};
      if (auto reason = schedule::OpeningHours::add_range(days[d], *range)) {
        return Error{at(path, item.source()) + schedule::kDayKeys[d] + ": " + *reason};
      }
    }
  }
  config.hours = schedule::OpeningHours(*name, std::move(days));
  return std::nullopt;
}

std::optional<Error> read_scope(const std::string& path, const toml::table& scope, KioskConfig& config) {
  if (auto e = unknown(path, scope, {"help", "complaints", "note_readers"}, "scope")) return e;
  if (auto e = read_texts(path, scope, "help", config.scope.help)) return e;
  if (auto e = read_texts(path, scope, "note_readers", config.scope.note_readers)) return e;
  return read_texts(path, scope, "complaints", config.scope.complaints);
}

}  // namespace fk::kiosk
