// The Prometheus text exposition of the centre's figures (metrics.hpp).
#include "sync/central/metrics.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace fk::central {
namespace {

// A label value as the text format wants it: backslash, double quote and newline escaped.
std::string label_value(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

void family(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

}  // namespace

std::size_t metric_route_index(std::string_view path) {
  for (std::size_t i = 0; i + 1 < kMetricRoutes.size(); ++i) {
    if (kMetricRoutes[i] == path) return i;
  }
  return kMetricRoutes.size() - 1;  // "other"
}

void Metrics::observe_request(std::string_view path, int status, std::chrono::nanoseconds duration) {
  const std::size_t route = metric_route_index(path);
  const std::size_t code = status >= 100 && status < static_cast<int>(kStatuses) ? status : 0;
  requests_[route][code].fetch_add(1, std::memory_order_relaxed);
  Latency& l = latency_[route];
  const double seconds = std::chrono::duration<double>(duration).count();
  for (std::size_t b = 0; b < kLatencyBuckets.size(); ++b) {
    if (seconds <= kLatencyBuckets[b]) {
      l.buckets[b].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
  l.sum_ns.fetch_add(static_cast<std::uint64_t>(std::max<std::int64_t>(0, duration.count())),
                     std::memory_order_relaxed);
  l.count.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::count_ingested(model::ItemStatus outcome) {
  const auto i = static_cast<std::size_t>(outcome);
  if (i < ingested_.size()) ingested_[i].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::count_database_error() {
  database_errors_.fetch_add(1, std::memory_order_relaxed);
}

std::string Metrics::render(const StoreFigures& store, std::size_t open_connections) const {
  std::string out;
  out.reserve(16 * 1024);

  family(out, "feedback_http_requests_total", "counter", "HTTP answers written, by route and status.");
  for (std::size_t r = 0; r < kRoutes; ++r) {
    for (std::size_t s = 0; s < kStatuses; ++s) {
      const auto n = requests_[r][s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out += "feedback_http_requests_total{route=\"" + label_value(kMetricRoutes[r]) + "\",status=\"" +
             std::to_string(s) + "\"} " + std::to_string(n) + '\n';
    }
  }

  family(out, "feedback_http_request_duration_seconds", "histogram",
         "From a request's complete head to its answer's last byte sent, by route.");
  for (std::size_t r = 0; r < kRoutes; ++r) {
    const Latency& l = latency_[r];
    const auto count = l.count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    const std::string route = "route=\"" + label_value(kMetricRoutes[r]) + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < kLatencyBuckets.size(); ++b) {
      cumulative += l.buckets[b].load(std::memory_order_relaxed);
      out += "feedback_http_request_duration_seconds_bucket{" + route + ",le=\"" +
             number(kLatencyBuckets[b]) + "\"} " + std::to_string(cumulative) + '\n';
    }
    // Read separately from the buckets, so a request counted in between may make count exceed the last
    // bucket by a little; +Inf is the count, as the format requires.
    out += "feedback_http_request_duration_seconds_bucket{" + route + ",le=\"+Inf\"} " +
           std::to_string(std::max(count, cumulative)) + '\n';
    out += "feedback_http_request_duration_seconds_sum{" + route + "} " +
           number(static_cast<double>(l.sum_ns.load(std::memory_order_relaxed)) / 1e9) + '\n';
    out += "feedback_http_request_duration_seconds_count{" + route + "} " +
           std::to_string(std::max(count, cumulative)) + '\n';
  }

  family(out, "feedback_ingested_responses_total", "counter",
         "Batch items answered, by outcome (a batch refused whole counts no item).");
  for (const auto status : {model::ItemStatus::Created, model::ItemStatus::Duplicate,
                            model::ItemStatus::Conflict, model::ItemStatus::Invalid}) {
    out += std::string("feedback_ingested_responses_total{outcome=\"") + model::to_string(status) + "\"} " +
           std::to_string(ingested_[static_cast<std::size_t>(status)].load(std::memory_order_relaxed)) + '\n';
  }

  family(out, "feedback_database_errors_total", "counter", "Store operations that failed while answering.");
  out += "feedback_database_errors_total " + std::to_string(database_errors_.load()) + '\n';

  family(out, "feedback_open_connections", "gauge", "Client connections open now.");
  out += "feedback_open_connections " + std::to_string(open_connections) + '\n';

  if (store.kiosks) {
    family(out, "feedback_kiosk_backlog", "gauge",
           "Responses waiting on each enrolled (not revoked) kiosk, as its last heartbeat said.");
    for (const KioskRecord& k : *store.kiosks) {
      if (k.revoked) continue;
      out +=
          "feedback_kiosk_backlog{kiosk=\"" + label_value(k.id) + "\"} " + std::to_string(k.pending) + '\n';
    }
    family(out, "feedback_kiosk_last_seen_age_seconds", "gauge",
           "Seconds since each kiosk last called in (kiosks never seen are left out).");
    for (const KioskRecord& k : *store.kiosks) {
      if (k.revoked) continue;
      const auto seen = unix_seconds_of(k.last_seen_at);
      if (!seen) continue;
      out += "feedback_kiosk_last_seen_age_seconds{kiosk=\"" + label_value(k.id) + "\"} " +
             std::to_string(std::max<std::int64_t>(0, store.now_unix - *seen)) + '\n';
    }
  }
  if (store.sessions) {
    family(out, "feedback_dashboard_sessions", "gauge", "Dashboard sessions alive now.");
    out += "feedback_dashboard_sessions " + std::to_string(*store.sessions) + '\n';
  }
  return out;
}

std::optional<std::int64_t> unix_seconds_of(std::string_view iso8601_utc) {
  if (iso8601_utc.size() < 19) return std::nullopt;
  const std::string text(iso8601_utc.substr(0, 19));
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6 ||
      consumed != 19) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<std::int64_t>(timegm(&tm));
}

}  // namespace fk::central
