// Dashboard rendering: what each part of the page shows, as data for its template in assets/dashboard/ (the
// engine escapes every value), and the charts' geometry, which stays here as numbers.
#include "sync/central/dashboard.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "sync/central/dashboard_templates.hpp"

namespace fk::central {
namespace {

constexpr const char* kTrendQuestion = "overall";
// Okabe–Ito: told apart by people with the common colour-vision deficiencies.
constexpr const char* kSiteColours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                        "#E69F00", "#56B4E9", "#000000"};
// Answers 1..5: red through grey to blue, with the text colour that reads on each.
constexpr const char* kAnswerColours[] = {"#b2182b", "#ef8a62", "#d9d9d9", "#67a9cf", "#2166ac"};
constexpr const char* kAnswerInk[] = {"#ffffff", "#1a1a1a", "#1a1a1a", "#1a1a1a", "#ffffff"};
constexpr const char* kDash = "\u2014";

// The trend chart's drawing area, in SVG user units (the SVG scales to its column).
constexpr double kChartW = 720, kChartH = 300, kLeft = 48, kRight = 16, kTop = 14, kBottom = 40;
// Space between the axes and the first and last period, so that end points and labels stay clear of the edges.
constexpr double kInset = 34;
constexpr std::size_t kMaxXLabels = 12;

std::string percent(double share) {
  return std::to_string(static_cast<int>(std::lround(share * 100))) + "%";
}

const RatingStats* find_question(const Cell& cell, const std::string& id) {
  for (const RatingStats& q : cell.questions) {
    if (q.question_id == id) return &q;
  }
  return nullptr;
}

std::string label_for(const std::map<std::string, std::string>& labels, const std::string& id) {
  const auto it = labels.find(id);
  return it == labels.end() ? id : it->second;
}

// The message of an ApiReply's JSON error body.
std::string reply_message(const ApiReply& reply) {
  const auto body = nlohmann::json::parse(reply.body, nullptr, false);
  if (body.is_object() && body.contains("error") && body["error"].contains("message")) {
    return body["error"]["message"].get<std::string>();
  }
  return "the request was refused (" + std::to_string(reply.status) + ")";
}

std::string date_range(const DashboardFilters& f) {
  if (!f.from.empty() && !f.to.empty()) return f.from + " to " + f.to;
  if (!f.from.empty()) return "since " + f.from;
  if (!f.to.empty()) return "until " + f.to;
  return "all dates";
}

QueryParams filter_params(const DashboardFilters& f, bool with_site) {
  QueryParams params;
  if (with_site && !f.site.empty()) params.emplace("site", f.site);
  if (!f.from.empty()) params.emplace("from", f.from);
  if (!f.to.empty()) params.emplace("to", f.to);
  return params;
}

std::string query_string(const QueryParams& params) {
  std::string out;
  for (const auto& [name, value] : params) out += "&" + name + "=" + url_encode(value);
  return out;
}

std::string svg_number(double v) {
  return fixed(v, 1);
}

// --- The trend chart -------------------------------------------------------------------------------------

struct TrendPoint {
  std::size_t x = 0;           // index into the periods
  std::optional<double> rate;  // empty: suppressed, or no rating of the question
};
struct TrendLine {
  std::string site;
  std::vector<TrendPoint> points;
};

std::vector<std::string> periods_of(const AggregateResult& trend) {
  std::set<std::string> periods;
  for (const Cell& c : trend.cells) {
    if (c.key.size() == 2) periods.insert(c.key[1]);
  }
  return {periods.begin(), periods.end()};
}

std::vector<TrendLine> trend_lines(const AggregateResult& trend, const std::vector<std::string>& periods) {
  std::vector<TrendLine> lines;
  for (const Cell& c : trend.cells) {
    if (c.key.size() != 2) continue;
    if (lines.empty() || lines.back().site != c.key[0]) lines.push_back(TrendLine{c.key[0], {}});
    TrendPoint p;
    p.x = static_cast<std::size_t>(std::lower_bound(periods.begin(), periods.end(), c.key[1]) -
                                   periods.begin());
    const RatingStats* q = c.suppressed ? nullptr : find_question(c, kTrendQuestion);
    if (q && q->n > 0) p.rate = q->top_two_share;
    lines.back().points.push_back(p);
  }
  return lines;
}

double x_at(std::size_t i, std::size_t count) {
  const double width = kChartW - kLeft - kRight - 2 * kInset;
  if (count <= 1) return kLeft + kInset + width / 2;
  return kLeft + kInset + width * static_cast<double>(i) / static_cast<double>(count - 1);
}

double y_at(double share) {
  return kTop + (1 - share) * (kChartH - kTop - kBottom);
}

// The y grid every 25 % with its labels, and at most kMaxXLabels period labels along the bottom.
void chart_axes(const std::vector<std::string>& periods, TemplateData& chart) {
  TemplateData gridlines = template_list();
  for (int pct = 0; pct <= 100; pct += 25) {
    TemplateData line;
    line.set("x1", svg_number(kLeft));
    line.set("x2", svg_number(kChartW - kRight));
    line.set("y", svg_number(y_at(pct / 100.0)));
    line.set("stroke", pct == 0 ? "#8a96a3" : "#e3e7ec");
    line.set("label_x", svg_number(kLeft - 8));
    line.set("label", std::to_string(pct) + "%");
    gridlines.push_back(line);
  }
  chart.set("gridlines", gridlines);
  TemplateData labels = template_list();
  const std::size_t step = std::max<std::size_t>(1, (periods.size() + kMaxXLabels - 1) / kMaxXLabels);
  for (std::size_t i = 0; i < periods.size(); i += step) {
    TemplateData label;
    label.set("x", svg_number(x_at(i, periods.size())));
    label.set("y", svg_number(kChartH - kBottom + 20));
    label.set("text", periods[i]);
    labels.push_back(label);
  }
  chart.set("period_labels", labels);
}

// One polyline per run of visible points: a suppressed period breaks the line.
TemplateData chart_series(const TrendLine& line, const std::vector<std::string>& periods,
                          const char* colour) {
  TemplateData series;
  series.set("site", line.site);
  series.set("colour", colour);
  TemplateData polylines = template_list();
  std::string run;
  std::size_t run_length = 0;
  auto flush = [&] {
    if (run_length > 1) polylines.push_back(TemplateData("points", run));
    run.clear();
    run_length = 0;
  };
  std::size_t previous = periods.size();
  for (const TrendPoint& p : line.points) {
    if (!p.rate || (previous != periods.size() && p.x != previous + 1)) flush();
    if (p.rate) {
      run +=
          (run.empty() ? "" : " ") + svg_number(x_at(p.x, periods.size())) + "," + svg_number(y_at(*p.rate));
      ++run_length;
      previous = p.x;
    } else {
      previous = periods.size();
    }
  }
  flush();
  series.set("polylines", polylines);
  TemplateData points = template_list();
  for (const TrendPoint& p : line.points) {
    if (!p.rate) continue;
    TemplateData point;
    point.set("period", periods[p.x]);
    point.set("rate", fixed(*p.rate, 3));
    point.set("cx", svg_number(x_at(p.x, periods.size())));
    point.set("cy", svg_number(y_at(*p.rate)));
    point.set("percent", percent(*p.rate));
    points.push_back(point);
  }
  series.set("points", points);
  return series;
}

TemplateData trend_data(const AggregateResult& trend, const std::string& question_label) {
  const std::vector<std::string> periods = periods_of(trend);
  const std::vector<TrendLine> lines = trend_lines(trend, periods);
  TemplateData chart;
  chart.set("has_lines", !lines.empty());
  chart.set("dimension", trend.dimensions.size() == 2 ? trend.dimensions[1] : "week");
  chart.set("question", question_label);
  chart.set("k", std::to_string(trend.k));
  chart.set("width", svg_number(kChartW));
  chart.set("height", svg_number(kChartH));
  chart_axes(periods, chart);
  TemplateData legend = template_list();
  TemplateData series = template_list();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const char* colour = kSiteColours[i % std::size(kSiteColours)];
    TemplateData entry;
    entry.set("site", lines[i].site);
    entry.set("colour", colour);
    legend.push_back(entry);
    series.push_back(chart_series(lines[i], periods, colour));
  }
  chart.set("legend", legend);
  chart.set("series", series);
  return chart;
}

// --- Answer distributions --------------------------------------------------------------------------------

// The five stacked segments of one question's bar, in percent of its width; a count is written on its
// segment when the segment is wide enough to hold it.
TemplateData bar_segments(const RatingStats& q) {
  TemplateData segments = template_list();
  double x = 0;
  for (int v = 1; v <= 5; ++v) {
    const int count = q.distribution[static_cast<std::size_t>(v - 1)];
    const double share = q.n > 0 ? 100.0 * count / q.n : 0;
    TemplateData segment;
    segment.set("value", std::to_string(v));
    segment.set("count", std::to_string(count));
    segment.set("x", fixed(x, 3));
    segment.set("width", fixed(share, 3));
    segment.set("fill", kAnswerColours[v - 1]);
    segment.set("labelled", share >= 6);
    segment.set("label_x", fixed(x + share / 2, 3));
    segment.set("ink", kAnswerInk[v - 1]);
    segments.push_back(segment);
    x += share;
  }
  return segments;
}

TemplateData question_data(const RatingStats& q, const std::map<std::string, std::string>& labels) {
  TemplateData row;
  row.set("id", q.question_id);
  row.set("label", label_for(labels, q.question_id));
  row.set("n", std::to_string(q.n));
  row.set("mean", fixed(q.mean, 2));
  row.set("positive", percent(q.top_two_share));
  row.set("segments", bar_segments(q));
  return row;
}

TemplateData answer_legend() {
  TemplateData legend = template_list();
  const char* words[] = {"1 (worst)", "2", "3", "4", "5 (best)"};
  for (std::size_t v = 0; v < 5; ++v) {
    TemplateData entry;
    entry.set("colour", kAnswerColours[v]);
    entry.set("word", words[v]);
    legend.push_back(entry);
  }
  return legend;
}

TemplateData distributions_data(const Cell& total, int k, const std::map<std::string, std::string>& labels) {
  TemplateData answers;
  answers.set("suppressed", total.suppressed);
  answers.set("k", std::to_string(k));
  answers.set("legend", answer_legend());
  TemplateData questions = template_list();
  // The overall question first, the others by id.
  for (const RatingStats& q : total.questions) {
    if (q.question_id == kTrendQuestion) questions.push_back(question_data(q, labels));
  }
  for (const RatingStats& q : total.questions) {
    if (q.question_id != kTrendQuestion) questions.push_back(question_data(q, labels));
  }
  answers.set("questions", questions);
  return answers;
}

// --- Thank-you table -------------------------------------------------------------------------------------

// One number of the table; `site` empty for the total row. A suppressed cell shows no number, only why.
TemplateData table_number(const Cell& c, const std::string& site, const char* metric, int value) {
  TemplateData number;
  number.set("total", site.empty());
  number.set("site", site);
  number.set("metric", metric);
  number.set("suppressed", c.suppressed);
  number.set("suppression", c.suppression);
  if (!c.suppressed) number.set("value", std::to_string(value));
  return number;
}

TemplateData table_row(const Cell& c, const std::string& site, const std::string& name) {
  TemplateData row;
  row.set("total", site.empty());
  row.set("name", name);
  TemplateData numbers = template_list();
  numbers.push_back(table_number(c, site, "responses", c.responses));
  numbers.push_back(table_number(c, site, "thanks", c.thanks));
  row.set("numbers", numbers);
  return row;
}

TemplateData thanks_data(const AggregateResult& by_site) {
  TemplateData table;
  TemplateData rows = template_list();
  for (const Cell& c : by_site.cells) rows.push_back(table_row(c, c.key.at(0), c.key.at(0)));
  rows.push_back(table_row(by_site.total, "", "All divisions"));
  table.set("rows", rows);
  table.set("k", std::to_string(by_site.k));
  return table;
}

// --- Tiles, fleet ----------------------------------------------------------------------------------------

TemplateData tile(const std::string& metric, const std::optional<std::string>& value,
                  const std::string& label) {
  TemplateData t;
  t.set("metric", metric);
  t.set("suppressed", !value);
  if (value) t.set("value", *value);
  t.set("label", label);
  return t;
}

TemplateData summary_tiles(const Cell& total) {
  const bool visible = !total.suppressed;
  const RatingStats* overall = visible ? find_question(total, kTrendQuestion) : nullptr;
  std::optional<std::string> rate;
  if (overall && overall->n > 0) rate = percent(overall->top_two_share);
  TemplateData tiles = template_list();
  tiles.push_back(tile("responses", visible ? std::optional(std::to_string(total.responses)) : std::nullopt,
                       "responses"));
  tiles.push_back(tile("positive", rate, "positive impression (4 or 5 overall)"));
  tiles.push_back(tile("thanks", visible ? std::optional(std::to_string(total.thanks)) : std::nullopt,
                       "thank-you notes"));
  return tiles;
}

std::string last_seen(const std::string& iso) {
  if (iso.empty()) return "never";
  std::string out = iso.substr(0, 16);
  if (out.size() > 10) out[10] = ' ';
  return out + " UTC";
}

TemplateData fleet_row(const KioskRecord& k) {
  TemplateData row;
  row.set("id", k.id);
  row.set("revoked", k.revoked);
  row.set("site", k.site);
  row.set("last_seen_at", k.last_seen_at);
  row.set("last_seen", last_seen(k.last_seen_at));
  row.set("pending", std::to_string(k.pending));
  row.set("seconds", std::to_string(k.oldest_pending_age_s));
  row.set("oldest", k.pending > 0 ? human_age(k.oldest_pending_age_s) : kDash);
  row.set("quarantined", std::to_string(k.quarantined));
  row.set("last_error", k.last_error);
  return row;
}

TemplateData fleet_data(const std::optional<std::vector<KioskRecord>>& fleet) {
  TemplateData data;
  data.set("visible", fleet.has_value());
  TemplateData rows = template_list();
  if (fleet) {
    for (const KioskRecord& k : *fleet) rows.push_back(fleet_row(k));
  }
  data.set("rows", rows);
  return data;
}

// --- The page around them --------------------------------------------------------------------------------

TemplateData option(const std::string& value, const std::string& text, bool selected) {
  TemplateData o;
  o.set("value", value);
  o.set("text", text);
  o.set("selected", selected);
  return o;
}

void filter_form(const DashboardData& d, TemplateData& page) {
  const DashboardFilters& f = d.filters;
  TemplateData sites = template_list();
  sites.push_back(option("", "All divisions", f.site.empty()));
  for (const std::string& site : d.sites) sites.push_back(option(site, site, site == f.site));
  page.set("sites", sites);
  page.set("from", f.from);
  page.set("to", f.to);
  TemplateData periods = template_list();
  periods.push_back(option("week", "Week", f.period != "month"));
  periods.push_back(option("month", "Month", f.period == "month"));
  page.set("periods", periods);
}

void downloads(const DashboardData& d, TemplateData& page) {
  const std::string filters = query_string(filter_params(d.filters, true));
  page.set("period", d.filters.period);
  page.set("aggregates_csv",
           "/api/v1/aggregates?group_by=site," + d.filters.period + "&format=csv&bom=1" + filters);
  page.set("show_thanks_csv", d.user.role == Role::Supervisor || d.user.role == Role::Admin);
  page.set("thanks_csv", "/api/v1/thanks?format=csv&bom=1" + filters);
}

// The shell around one body: "login" or "dashboard", given as `body`.
std::string render_page(const std::string& title, const std::string& body_name, const TemplateData& body) {
  TemplateData page;
  page.set("title", title);
  page.set(body_name, body);
  return render_template("page", page);
}

}  // namespace

// --- Public -----------------------------------------------------------------------------------------------

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string human_age(std::int64_t seconds) {
  if (seconds < 90) return std::to_string(std::max<std::int64_t>(seconds, 0)) + " s";
  if (seconds < 90 * 60) return std::to_string((seconds + 30) / 60) + " min";
  if (seconds < 48 * 3600) return std::to_string((seconds + 1800) / 3600) + " h";
  return std::to_string((seconds + 43200) / 86400) + " d";
}

DashboardFilters dashboard_filters(const QueryParams& params) {
  DashboardFilters f;
  for (const auto& [name, value] : params) {
    if (name == "site") f.site = value;
    if (name == "from") f.from = value;
    if (name == "to") f.to = value;
    if (name == "period" && value == "month") f.period = "month";
  }
  return f;
}

DashboardData collect_dashboard(Api& api, const Credentials& who, const Principal::User& user,
                                const DashboardFilters& filters) {
  DashboardData d;
  d.user = user;
  d.filters = filters;
  auto ask = [&](QueryParams params, const std::string& group_by, AggregateResult& into) {
    if (!group_by.empty()) params.emplace("group_by", group_by);
    auto result = api.aggregate_result(who, params);
    if (auto* reply = std::get_if<ApiReply>(&result)) {
      if (d.error.empty()) d.error = reply_message(*reply);
      return;
    }
    into = std::move(std::get<AggregateResult>(result));
  };
  AggregateResult all_sites;
  ask({}, "site", all_sites);
  for (const Cell& c : all_sites.cells) d.sites.push_back(c.key.at(0));
  ask(filter_params(filters, true), "site," + filters.period, d.trend);
  ask(filter_params(filters, true), "", d.totals);
  ask(filter_params(filters, true), "site", d.by_site);
  for (const RatingStats& q : d.totals.total.questions)
    d.question_labels[q.question_id] = api.question_text(q.question_id);
  d.question_labels[kTrendQuestion] = api.question_text(kTrendQuestion);
  if (user.role == Role::Admin) {
    auto kiosks = api.kiosk_records(who);
    if (auto* list = std::get_if<std::vector<KioskRecord>>(&kiosks)) d.fleet = std::move(*list);
  }
  return d;
}

std::string render_login_page(std::string_view message) {
  TemplateData login;
  login.set("has_message", !message.empty());
  login.set("message", std::string(message));
  return render_page("Sign in — Community feedback", "login", login);
}

std::string render_trend_chart(const AggregateResult& trend, const std::string& question_label) {
  return render_template("trend", trend_data(trend, question_label));
}

std::string render_distributions(const Cell& total, int k, const std::map<std::string, std::string>& labels) {
  return render_template("distributions", distributions_data(total, k, labels));
}

std::string render_thanks_table(const AggregateResult& by_site) {
  return render_template("thanks", thanks_data(by_site));
}

std::string render_fleet(const std::optional<std::vector<KioskRecord>>& fleet) {
  return render_template("fleet", fleet_data(fleet));
}

std::string render_dashboard(const DashboardData& d) {
  TemplateData page;
  page.set("date_range", date_range(d.filters));
  page.set("user", d.user.name);
  page.set("role", to_string(d.user.role));
  filter_form(d, page);
  page.set("has_error", !d.error.empty());
  page.set("error", d.error);
  if (d.error.empty()) {
    page.set("tiles", summary_tiles(d.totals.total));
    page.set("trend_chart", trend_data(d.trend, label_for(d.question_labels, kTrendQuestion)));
    page.set("thanks_table", thanks_data(d.by_site));
    downloads(d, page);
    page.set("answers", distributions_data(d.totals.total, d.totals.k, d.question_labels));
  }
  page.set("fleet", fleet_data(d.fleet));
  return render_page("Community feedback — " + date_range(d.filters), "dashboard", page);
}

}  // namespace fk::central
