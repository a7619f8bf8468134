#include "kiosk/kiosk_config.hpp"

#include <toml++/toml.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>

namespace fk::kiosk {
namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

std::string where(const std::string& path, const toml::source_region& source) {
  return path + ":" + std::to_string(source.begin.line) + ":" + std::to_string(source.begin.column) + ": ";
}

// Refuses keys this version does not know, so a typo is not silently ignored.
std::optional<Error> unknown_key(const std::string& path, const toml::table& table, std::set<std::string> known,
                                 const std::string& section) {
  for (const auto& [key, node] : table) {
    if (!known.count(std::string(key.str()))) {
      return Error{where(path, key.source()) + "unknown key \"" + std::string(key.str()) + "\"" +
                   (section.empty() ? "" : " in [" + section + "]")};
    }
  }
  return std::nullopt;
}

std::optional<Error> read_seconds(const std::string& path, const toml::table& t, const char* key, flow::Millis& out) {
  const toml::node* node = t.get(key);
  if (!node) return std::nullopt;
  const auto v = node->value<std::int64_t>();
  if (!v || *v < 1 || *v > 3600) {
    return Error{where(path, node->source()) + key + " must be a whole number of seconds from 1 to 3600"};
  }
  out = std::chrono::seconds(*v);
  return std::nullopt;
}

}  // namespace

std::string default_data_dir() {
  const char* home = std::getenv("HOME");
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return std::string(xdg) + "/feedback-kiosk";
  if (home && *home) return std::string(home) + "/.local/share/feedback-kiosk";
  return "/var/lib/feedback-kiosk";
}

std::string default_config_path() {
  const char* home = std::getenv("HOME");
  const std::string base = env_or("XDG_CONFIG_HOME", home ? std::string(home) + "/.config" : "/etc");
  return base + "/feedback-kiosk/kiosk.toml";
}

Expected<KioskConfig> load_config(const std::string& path, bool must_exist) {
  KioskConfig config;
  config.data_dir = default_data_dir();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (must_exist) return Error{path + ": cannot read file: no such file"};
    return config;
  }
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Error{where(path, e.source()) + std::string(e.description())};
  }
  if (auto e = unknown_key(path, root, {"data_dir", "survey", "default_language", "visit", "display"}, "")) return *e;
  if (auto v = root["data_dir"].value<std::string>()) config.data_dir = *v;
  if (auto v = root["survey"].value<std::string>()) config.survey = *v;
  if (auto v = root["default_language"].value<std::string>()) config.flow.default_language = *v;

  if (const toml::table* visit = root["visit"].as_table()) {
    if (auto e = unknown_key(path, *visit,
                             {"inactivity_timeout_s", "still_there_timeout_s", "thank_you_s", "partial_policy"},
                             "visit")) {
      return *e;
    }
    for (auto [key, out] : {std::pair{"inactivity_timeout_s", &config.flow.inactivity_timeout},
                            std::pair{"still_there_timeout_s", &config.flow.still_there_timeout},
                            std::pair{"thank_you_s", &config.flow.thank_you_duration}}) {
      if (auto e = read_seconds(path, *visit, key, *out)) return *e;
    }
    if (const toml::node* node = visit->get("partial_policy")) {
      const auto policy = flow::partial_policy_from_string(node->value_or(std::string()));
      if (!policy) {
        return Error{where(path, node->source()) + "partial_policy must be \"discard\" or \"submit_partial\""};
      }
      config.flow.partial_policy = *policy;
    }
  }
  if (const toml::table* display = root["display"].as_table()) {
    if (auto e = unknown_key(path, *display, {"fullscreen", "width", "height"}, "display")) return *e;
    if (auto v = (*display)["fullscreen"].value<bool>()) config.fullscreen = *v;
    if (auto v = (*display)["width"].value<std::int64_t>()) config.window_width = static_cast<int>(*v);
    if (auto v = (*display)["height"].value<std::int64_t>()) config.window_height = static_cast<int>(*v);
  }
  return config;
}

Expected<Ok> ensure_data_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error{"cannot create data directory " + dir + ": " + ec.message()};
  const std::string probe = dir + "/.write-test";
  if (FILE* f = std::fopen(probe.c_str(), "w")) {
    std::fclose(f);
    std::remove(probe.c_str());
    return Ok{};
  }
  return Error{"cannot write in data directory " + dir + ": " + std::strerror(errno)};
}

}  // namespace fk::kiosk
