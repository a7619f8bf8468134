// Reading central.toml (central_config.hpp): every key checked for its type and range, with its position.
#include "sync/central/central_config.hpp"

#include <toml++/toml.h>

#include <filesystem>
#include <limits>
#include <set>

namespace fk::central {
namespace {

std::string at(const std::string& path, const toml::source_region& source) {
  return path + ":" + std::to_string(source.begin.line) + ":" + std::to_string(source.begin.column) + ": ";
}

std::optional<Error> refuse_unknown(const std::string& path, const toml::table& table,
                                    const std::set<std::string>& known, const std::string& section) {
  for (const auto& [key, node] : table) {
    if (!known.count(std::string(key.str()))) {
      std::string names;
      for (const std::string& k : known) names += (names.empty() ? "" : ", ") + k;
      return Error{at(path, key.source()) + "unknown key \"" + std::string(key.str()) + "\"" +
                   (section.empty() ? "" : " in [" + section + "]") + " (known: " + names + ")"};
    }
  }
  return std::nullopt;
}

// A file name relative to the configuration file's directory.
std::string beside(const std::string& config_path, const std::string& name) {
  const std::filesystem::path p(name);
  if (p.is_absolute() || name.empty()) return name;
  return (std::filesystem::path(config_path).parent_path() / p).lexically_normal().string();
}

// One file's reading: where errors point, and the table being read.
class Reader {
 public:
  Reader(const std::string& path, const toml::table& table) : path_(path), table_(table) {}

  std::optional<Error> text(const char* key, std::string& out) {
    const toml::node* node = table_.get(key);
    if (!node) return std::nullopt;
    const auto v = node->value_exact<std::string>();
    if (!v) return Error{at(path_, node->source()) + key + " must be a text in double quotes"};
    out = *v;
    return std::nullopt;
  }

  std::optional<Error> boolean(const char* key, bool& out) {
    const toml::node* node = table_.get(key);
    if (!node) return std::nullopt;
    const auto v = node->value_exact<bool>();
    if (!v) return Error{at(path_, node->source()) + key + " must be true or false"};
    out = *v;
    return std::nullopt;
  }

  // A whole number in [min, max].
  template <typename T>
  std::optional<Error> whole(const char* key, long long min, long long max, T& out) {
    const toml::node* node = table_.get(key);
    if (!node) return std::nullopt;
    const auto v = node->value_exact<std::int64_t>();
    if (!v) return Error{at(path_, node->source()) + key + " must be a whole number"};
    if (*v < min || *v > max) {
      return Error{at(path_, node->source()) + key + " must be from " + std::to_string(min) + " to " +
                   std::to_string(max) + ", not " + std::to_string(*v)};
    }
    out = static_cast<T>(*v);
    return std::nullopt;
  }

  // A number (whole or not) of at least 0.
  std::optional<Error> non_negative(const char* key, double& out) {
    const toml::node* node = table_.get(key);
    if (!node) return std::nullopt;
    std::optional<double> v = node->value_exact<double>();
    if (const auto i = node->value_exact<std::int64_t>()) v = static_cast<double>(*i);
    if (!v) return Error{at(path_, node->source()) + key + " must be a number"};
    if (!(*v >= 0) || *v > 1e9) return Error{at(path_, node->source()) + key + " must be from 0 to 1e9"};
    out = *v;
    return std::nullopt;
  }

  std::optional<Error> texts(const char* key, std::vector<std::string>& out) {
    const toml::node* node = table_.get(key);
    if (!node) return std::nullopt;
    const toml::array* list = node->as_array();
    if (!list)
      return Error{at(path_, node->source()) + key + " must be a list of file names, e.g. [\"a.toml\"]"};
    std::vector<std::string> values;
    for (const toml::node& item : *list) {
      const auto v = item.value_exact<std::string>();
      if (!v || v->empty()) return Error{at(path_, item.source()) + key + ": each entry must be a file name"};
      values.push_back(beside(path_, *v));
    }
    out = std::move(values);
    return std::nullopt;
  }

 private:
  const std::string& path_;
  const toml::table& table_;
};

constexpr long long kMaxCount = std::numeric_limits<std::int32_t>::max();
constexpr long long kMaxBytes = 1LL << 40;
constexpr long long kMaxSeconds = 24 * 3600;

std::optional<Error> read_limits(const std::string& path, const toml::table& limits, ServeSettings& s) {
  if (auto e = refuse_unknown(path, limits,
                              {"max_body_bytes", "max_items", "max_depth", "max_string_bytes", "rate_limit",
                               "rate_burst", "head_timeout", "read_timeout", "min_body_rate", "write_timeout",
                               "keep_alive_timeout", "keep_alive_max", "max_request_line", "max_header_count",
                               "max_header_bytes", "max_connections", "max_body_memory"},
                              "limits"))
    return e;
  ServerConfig& c = s.config;
  Reader r(path, limits);
  // The same bounds as the flags (main.cpp).
  std::optional<Error> e;
  if ((e = r.whole("max_body_bytes", 1, kMaxBytes, c.limits.max_body_bytes))) return e;
  if ((e = r.whole("max_items", 1, kMaxCount, c.limits.max_items))) return e;
  if ((e = r.whole("max_depth", 3, 64, c.limits.max_depth))) return e;
  if ((e = r.whole("max_string_bytes", 1, kMaxBytes, c.limits.max_string_bytes))) return e;
  if ((e = r.non_negative("rate_limit", c.rate.per_second))) return e;
  if ((e = r.non_negative("rate_burst", c.rate.burst))) return e;
  if ((e = r.whole("head_timeout", 1, kMaxSeconds, s.head_timeout_s))) return e;
  if ((e = r.whole("read_timeout", 1, kMaxSeconds, s.read_timeout_s))) return e;
  if ((e = r.whole("min_body_rate", 1, kMaxBytes, c.min_body_rate))) return e;
  if ((e = r.whole("write_timeout", 1, kMaxSeconds, s.write_timeout_s))) return e;
  if ((e = r.whole("keep_alive_timeout", 1, kMaxSeconds, s.keep_alive_timeout_s))) return e;
  if ((e = r.whole("keep_alive_max", 1, kMaxCount, c.keep_alive_max_count))) return e;
  if ((e = r.whole("max_request_line", 256, 1 << 20, c.max_request_line))) return e;
  if ((e = r.whole("max_header_count", 8, 10000, c.max_header_count))) return e;
  if ((e = r.whole("max_header_bytes", 1024, 1 << 20, c.max_header_bytes))) return e;
  if ((e = r.whole("max_connections", 1, kMaxCount, c.max_connections))) return e;
  return r.whole("max_body_memory", 1, kMaxBytes, c.body_memory_bytes);
}

}  // namespace

Expected<Ok> read_central_config(const std::string& path, ServeSettings& s) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source();
    // toml++ reports a file it cannot open at line 0; say what happened instead of a position.
    if (where.begin.line == 0) return Error{path + ": " + std::string(e.description())};
    return Error{at(path, where) + std::string(e.description())};
  }
  if (auto e = refuse_unknown(path, root,
                              {"listen", "database", "k", "threads", "tls_cert", "tls_key", "plain_http",
                               "surveys", "access_log", "limits"},
                              ""))
    return *e;
  Reader r(path, root);
  std::optional<Error> e;
  if ((e = r.text("listen", s.listen))) return *e;
  if (const toml::node* db = root.get("database")) {
    if ((e = r.text("database", s.database))) return *e;
    if (s.database.empty()) return Error{at(path, db->source()) + "database must not be empty"};
    if (s.database.rfind("postgres", 0) != 0) s.database = beside(path, s.database);
  }
  if ((e = r.whole("k", 3, 1000000, s.config.min_k))) return *e;
  if ((e = r.whole("threads", 1, 1024, s.config.threads))) return *e;
  if ((e = r.text("tls_cert", s.config.tls.cert_file))) return *e;
  s.config.tls.cert_file = beside(path, s.config.tls.cert_file);
  if ((e = r.text("tls_key", s.config.tls.key_file))) return *e;
  s.config.tls.key_file = beside(path, s.config.tls.key_file);
  if ((e = r.boolean("plain_http", s.plain_http))) return *e;
  if ((e = r.texts("surveys", s.survey_files))) return *e;
  if (const toml::node* log = root.get("access_log")) {
    if ((e = r.text("access_log", s.access_log))) return *e;
    if (s.access_log != "stdout" && s.access_log != "off") {
      return Error{at(path, log->source()) + "access_log must be \"stdout\" or \"off\", not \"" +
                   s.access_log + "\""};
    }
  }
  if (const toml::node* limits = root.get("limits")) {
    const toml::table* table = limits->as_table();
    if (!table) return Error{at(path, limits->source()) + "limits must be a table: [limits]"};
    if ((e = read_limits(path, *table, s))) return *e;
  }
  return Ok{};
}

}  // namespace fk::central
