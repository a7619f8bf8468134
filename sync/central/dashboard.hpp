// The analysts' dashboard at `/`: server-rendered HTML with inline SVG charts and no script, so it works with
// no internet. Every number comes from the Api's own aggregate and fleet paths; rendering is plain functions
// from those results to the data of mustache templates (assets/dashboard/), each number tagged in the HTML
// with data-* attributes that tests (and scrapers) can read.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/central/aggregates.hpp"
#include "sync/central/api.hpp"
#include "sync/central/central_store.hpp"

namespace fk::central {

// The filter form: empty = all. period is "week" or "month" (anything else reads as week).
struct DashboardFilters {
  std::string site, from, to;
  std::string period = "week";
};
DashboardFilters dashboard_filters(const QueryParams& params);

struct DashboardData {
  Principal::User user;
  DashboardFilters filters;
  std::string error;               // a refused filter or a store failure, shown instead of the charts
  std::vector<std::string> sites;  // every division with responses, for the site selector
  AggregateResult trend;           // grouped by site × period
  AggregateResult totals;          // no grouping: the answer distributions
  AggregateResult by_site;         // grouped by site: responses and thank-you counts
  std::map<std::string, std::string> question_labels;  // question id → English text
  std::optional<std::vector<KioskRecord>> fleet;       // admins only
};

// Asks `api` what the endpoints would answer `who` for these filters.
DashboardData collect_dashboard(Api& api, const Credentials& who, const Principal::User& user,
                                const DashboardFilters& filters);

std::string render_login_page(std::string_view message);
std::string render_dashboard(const DashboardData& data);

// The parts, exposed for tests.
std::string render_trend_chart(const AggregateResult& trend, const std::string& question_label);
std::string render_distributions(const Cell& total, int k, const std::map<std::string, std::string>& labels);
std::string render_thanks_table(const AggregateResult& by_site);
std::string render_fleet(const std::optional<std::vector<KioskRecord>>& fleet);

std::string url_encode(std::string_view text);
std::string fixed(double value, int decimals);  // "0.750"
std::string human_age(std::int64_t seconds);    // "45 s", "12 min", "3 h", "2 d"

}  // namespace fk::central
