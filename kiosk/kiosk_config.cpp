#include "kiosk/kiosk_config.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>
#include <sstream>

#include "kiosk/i18n/languages.hpp"
#include "kiosk/site_config.hpp"

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
std::optional<Error> unknown_key(const std::string& path, const toml::table& table,
                                 std::set<std::string> known, const std::string& section) {
  for (const auto& [key, node] : table) {
    if (!known.count(std::string(key.str()))) {
      return Error{where(path, key.source()) + "unknown key \"" + std::string(key.str()) + "\"" +
                   (section.empty() ? "" : " in [" + section + "]")};
    }
  }
  return std::nullopt;
}

std::optional<Error> read_seconds(const std::string& path, const toml::table& t, const char* key,
                                  flow::Millis& out, std::int64_t least = 1) {
  const toml::node* node = t.get(key);
  if (!node) return std::nullopt;
  const auto v = node->value<std::int64_t>();
  if (!v || *v < least || *v > 3600) {
    return Error{where(path, node->source()) + key + " must be a whole number of seconds from " +
                 std::to_string(least) + " to 3600"};
  }
  out = std::chrono::seconds(*v);
  return std::nullopt;
}

std::optional<Error> read_central(const std::string& path, const toml::table& central, KioskConfig& config) {
  if (auto e =
          unknown_key(path, central, {"url", "token", "ca_file", "pinned_public_key", "heartbeat_interval_s"},
                      "central")) {
    return e;
  }
  if (const toml::node* url = central.get("url")) {
    const auto v = url->value<std::string>();
    if (!v || !(v->rfind("http://", 0) == 0 || v->rfind("https://", 0) == 0)) {
      return Error{where(path, url->source()) + "url must start with http:// or https://"};
    }
    config.central_url = *v;
  }
  if (auto v = central["token"].value<std::string>()) config.central_token = *v;
  if (auto v = central["ca_file"].value<std::string>()) config.ca_file = *v;
  if (auto v = central["pinned_public_key"].value<std::string>()) config.pinned_public_key = *v;
  flow::Millis heartbeat{0};
  if (auto e = read_seconds(path, central, "heartbeat_interval_s", heartbeat)) return e;
  if (heartbeat.count() > 0)
    config.heartbeat_interval = std::chrono::duration_cast<std::chrono::seconds>(heartbeat);
  return std::nullopt;
}

// The enrollment file overrides [central] url and token; a broken one is an error, not silently ignored.
std::optional<Error> read_enrollment(const std::string& path, KioskConfig& config) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  try {
    const toml::table root = toml::parse_file(path);
    if (auto e = unknown_key(path, root, {"central"}, "")) return e;
    if (const toml::table* central = root["central"].as_table()) return read_central(path, *central, config);
    return std::nullopt;
  } catch (const toml::parse_error& e) {
    return Error{where(path, e.source()) + std::string(e.description())};
  }
}

}  // namespace

std::string default_data_dir() {
  const char* home = std::getenv("HOME");
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return std::string(xdg) + "/feedback-kiosk";
  if (home && *home) return std::string(home) + "/.local/share/feedback-kiosk";
  return "/var/lib/feedback-kiosk";
}

std::string default_config_path() {
  const char* home = std::getenv("HOME");
  const std::string base = env_or("XDG_CONFIG_HOME", home ? std::string(home) + "/.config" : "/etc");
  return base + "/feedback-kiosk/kiosk.toml";
}

std::string enrollment_path(const std::string& config_path) {
  return (std::filesystem::path(config_path).parent_path() / "enrollment.toml").string();
}

std::string data_dir_enrollment_path(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "enrollment.toml").string();
}

Expected<Ok> read_data_dir_enrollment(KioskConfig& config) {
  if (auto e = read_enrollment(data_dir_enrollment_path(config.data_dir), config)) return *e;
  return Ok{};
}

Expected<Ok> write_enrollment(const std::string& path, const std::string& url, const std::string& token) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec)
    return Error{"cannot create " + std::filesystem::path(path).parent_path().string() + ": " + ec.message()};
  toml::table central{{"url", url}, {"token", token}};
  toml::table root{{"central", central}};
  const std::string tmp = path + ".tmp";
  {
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);  // never readable by others
    if (fd < 0) return Error{"cannot write " + tmp + ": " + std::strerror(errno)};
    // root enrolling a kiosk whose data directory belongs to the kiosk's user: the kiosk must read it.
    struct stat dir {};
    if (::geteuid() == 0 && ::stat(std::filesystem::path(path).parent_path().c_str(), &dir) == 0 &&
        dir.st_uid != 0 && ::fchown(fd, dir.st_uid, dir.st_gid) != 0) {
      const std::string reason = std::strerror(errno);
      ::close(fd);
      return Error{"cannot give " + tmp + " to the data directory's owner: " + reason};
    }
    std::ostringstream text;
    text << "# Written by `feedback-kiosk enroll`; holds this kiosk's token.\n" << root << "\n";
    const std::string bytes = text.str();
    const bool written = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!written || !synced) return Error{"cannot write " + tmp + ": " + std::strerror(errno)};
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Error{"cannot write " + path + ": " + ec.message()};
  return Ok{};
}

Expected<KioskConfig> load_config(const std::string& path, bool must_exist) {
  KioskConfig config;
  config.data_dir = default_data_dir();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (must_exist) return Error{path + ": cannot read file: no such file"};
    if (auto e = read_enrollment(enrollment_path(path), config)) return *e;
    return config;
  }
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Error{where(path, e.source()) + std::string(e.description())};
  }
  if (auto e = unknown_key(path, root,
                           {"data_dir", "survey", "default_language", "catalog_dir", "visit", "display",
                            "central", "hours", "scope"},
                           ""))
    return *e;
  if (auto v = root["data_dir"].value<std::string>()) config.data_dir = *v;
  if (auto v = root["survey"].value<std::string>()) config.survey = *v;
  if (const toml::node* node = root.get("default_language")) {
    const auto tag = node->value<std::string>();
    const i18n::Language* language = tag ? i18n::find_language(*tag) : nullptr;
    if (language == nullptr) {
      std::string known;
      for (const auto& l : i18n::supported_languages())
        known += (known.empty() ? "" : ", ") + std::string(l.tag);
      return Error{where(path, node->source()) + "default_language must be one of " + known};
    }
    config.flow.default_language = std::string(language->tag);
  }
  if (auto v = root["catalog_dir"].value<std::string>()) config.catalog_dir = *v;

  if (const toml::table* visit = root["visit"].as_table()) {
    if (auto e = unknown_key(path, *visit,
                             {"inactivity_timeout_s", "still_there_timeout_s", "thank_you_s",
                              "partial_policy", "misuse_interval_s", "min_ms_per_answer"},
                             "visit")) {
      return *e;
    }
    for (auto [key, out] : {std::pair{"inactivity_timeout_s", &config.flow.inactivity_timeout},
                            std::pair{"thank_you_s", &config.flow.thank_you_duration}}) {
      if (auto e = read_seconds(path, *visit, key, *out)) return *e;
    }
    // WCAG 2.2.1 (timing adjustable): at least 20 s to answer a warning that time is running out.
    if (auto e = read_seconds(path, *visit, "still_there_timeout_s", config.flow.still_there_timeout, 20)) {
      return *e;
    }
    if (const toml::node* node = visit->get("misuse_interval_s")) {
      const auto v = node->value<std::int64_t>();
      if (!v || *v < 0 || *v > 3600) {
        return Error{where(path, node->source()) +
                     "misuse_interval_s must be a whole number of seconds from 0 (off) to 3600"};
      }
      config.flow.misuse_interval = std::chrono::seconds(*v);
    }
    if (const toml::node* node = visit->get("min_ms_per_answer")) {
      const auto v = node->value<std::int64_t>();
      if (!v || *v < 0 || *v > 60'000) {
        return Error{where(path, node->source()) +
                     "min_ms_per_answer must be a whole number from 0 (off) to 60000"};
      }
      config.flow.min_time_per_answer = flow::Millis(*v);
    }
    if (const toml::node* node = visit->get("partial_policy")) {
      const auto policy = flow::partial_policy_from_string(node->value_or(std::string()));
      if (!policy) {
        return Error{where(path, node->source()) +
                     "partial_policy must be \"discard\" or \"submit_partial\""};
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
  if (const toml::table* central = root["central"].as_table()) {
    if (auto e = read_central(path, *central, config)) return *e;
  }
  if (const toml::node* hours = root.get("hours")) {
    if (!hours->is_table()) return Error{where(path, hours->source()) + "hours must be a table: [hours]"};
    if (auto e = read_hours(path, *hours->as_table(), config)) return *e;
  }
  if (const toml::node* scope = root.get("scope")) {
    if (!scope->is_table()) return Error{where(path, scope->source()) + "scope must be a table: [scope]"};
    if (auto e = read_scope(path, *scope->as_table(), config)) return *e;
  }
  if (auto e = read_enrollment(enrollment_path(path), config)) return *e;
  return config;
}

Expected<Ok> ensure_data_dir(const std::string& dir) {
  std::error_code ec;
  const bool created = std::filesystem::create_directories(dir, ec);
  if (ec) return Error{"cannot create data directory " + dir + ": " + ec.message()};
  // Responses, the token and the staff PIN's hash live here: for the kiosk's user alone, whatever the umask.
  if (created) std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  const std::string probe = dir + "/.write-test";
  if (FILE* f = std::fopen(probe.c_str(), "w")) {
    std::fclose(f);
    std::remove(probe.c_str());
    return Ok{};
  }
  return Error{"cannot write in data directory " + dir + ": " + std::strerror(errno)};
}

}  // namespace fk::kiosk
