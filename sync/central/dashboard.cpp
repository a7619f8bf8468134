// Dashboard rendering: one function per part of the page. Strings from data (division names, question text,
// user names) pass through html_escape; numbers are printed from the aggregate results as they are.
#include "sync/central/dashboard.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

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

const char* kStyle = R"css(
:root{--ink:#14202e;--muted:#4a5868;--line:#d5dbe3;--bg:#f4f6f9;--card:#fff;--accent:#0b3d6b}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Liberation Sans",Arial,sans-serif}
header{background:var(--accent);color:#fff;padding:14px max(28px,calc((100% - 1500px) / 2 + 28px));display:flex;align-items:center;justify-content:space-between;gap:16px;flex-wrap:wrap}
header h1{margin:0;font-size:22px;font-weight:650;letter-spacing:.2px}
header .who{display:flex;align-items:center;gap:12px;font-size:14px}
header .who form{margin:0}
header button{background:transparent;color:#fff;border:1px solid #fff;border-radius:6px;padding:5px 12px;font:inherit;cursor:pointer}
main{max-width:1500px;margin:0 auto;padding:18px 28px 40px}
form.filters{display:flex;flex-wrap:wrap;align-items:flex-end;gap:14px;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 16px;margin-bottom:18px}
form.filters label{display:flex;flex-direction:column;font-size:13px;color:var(--muted);gap:3px}
select,input{font:inherit;color:var(--ink);padding:5px 8px;border:1px solid #9aa6b4;border-radius:6px;background:#fff}
button.primary{font:inherit;background:var(--accent);color:#fff;border:0;border-radius:6px;padding:7px 18px;cursor:pointer}
.grid{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,1fr);gap:18px;align-items:start}
@media (max-width:1100px){.grid{grid-template-columns:minmax(0,1fr)}}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 20px;margin-bottom:18px}
h2{font-size:17px;margin:0 0 10px}
.caption{color:var(--muted);font-size:13px;margin:6px 0 0}
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;list-style:none;padding:0;margin:4px 0 6px;font-size:14px}
.legend li{display:flex;align-items:center;gap:6px}
.swatch{display:inline-block;width:14px;height:14px;border-radius:3px}
svg text{fill:var(--muted);font-family:inherit}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line)}
th{font-weight:600;color:var(--muted);font-size:13px}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.total td{font-weight:650;border-bottom:0}
.question{display:grid;grid-template-columns:minmax(220px,1.3fr) minmax(260px,2fr) 215px;gap:14px;align-items:center;padding:8px 0;border-bottom:1px solid var(--line)}
.question:last-child{border-bottom:0}
.question .text{font-size:14px}
.question .id{display:block;color:var(--muted);font-size:12px;font-family:ui-monospace,monospace}
.question .stats{font-size:13px;color:var(--muted);font-variant-numeric:tabular-nums}
.question .stats b{color:var(--ink)}
.tiles{display:flex;gap:18px;flex-wrap:wrap;margin-bottom:18px}
.tile{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 18px;min-width:180px}
.tile .value{font-size:26px;font-weight:700;font-variant-numeric:tabular-nums}
.tile .label{font-size:13px;color:var(--muted)}
.error{background:#fdecea;border:1px solid #b2182b;color:#7a0f1d;border-radius:8px;padding:10px 14px;margin-bottom:18px}
.note{color:var(--muted);font-size:14px}
a{color:#0b57a4}
.badge{display:inline-block;font-size:12px;border:1px solid #9aa6b4;border-radius:10px;padding:0 7px;margin-left:6px;color:var(--muted)}
.login{max-width:420px;margin:12vh auto;background:var(--card);border:1px solid var(--line);border-radius:12px;padding:28px 32px}
.login h1{font-size:22px;margin:0 0 6px}
.login form{display:flex;flex-direction:column;gap:12px;margin-top:16px}
.login input{width:100%}
)css";

std::string page(std::string_view title, std::string_view body) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>";
  out += html_escape(title);
  out += "</title><style>";
  out += kStyle;
  out += "</style></head><body>";
  out += body;
  out += "</body></html>\n";
  return out;
}

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

std::string chart_axes(const std::vector<std::string>& periods) {
  std::string out;
  for (int pct = 0; pct <= 100; pct += 25) {
    const std::string y = svg_number(y_at(pct / 100.0));
    out += "<line x1=\"" + svg_number(kLeft) + "\" x2=\"" + svg_number(kChartW - kRight) + "\" y1=\"" + y +
           "\" y2=\"" + y + "\" stroke=\"" + (pct == 0 ? "#8a96a3" : "#e3e7ec") + "\"/>";
    out += "<text x=\"" + svg_number(kLeft - 8) + "\" y=\"" + y +
           "\" text-anchor=\"end\" dominant-baseline=\"middle\" font-size=\"12\">" + std::to_string(pct) +
           "%</text>";
  }
  const std::size_t step = std::max<std::size_t>(1, (periods.size() + kMaxXLabels - 1) / kMaxXLabels);
  for (std::size_t i = 0; i < periods.size(); i += step) {
    out += "<text x=\"" + svg_number(x_at(i, periods.size())) + "\" y=\"" +
           svg_number(kChartH - kBottom + 20) + "\" text-anchor=\"middle\" font-size=\"12\">" +
           html_escape(periods[i]) + "</text>";
  }
  return out;
}

// One polyline per run of visible points: a suppressed period breaks the line.
std::string chart_line(const TrendLine& line, const std::vector<std::string>& periods, const char* colour,
                       const std::string& dimension) {
  const std::string site = html_escape(line.site);
  std::string out = "<g data-series=\"" + site + "\">";
  std::vector<std::string> run;
  auto flush = [&] {
    if (run.size() > 1) {
      std::string points;
      for (const std::string& p : run) points += (points.empty() ? "" : " ") + p;
      out += "<polyline data-site=\"" + site + "\" points=\"" + points + "\" fill=\"none\" stroke=\"" +
             colour + "\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>";
    }
    run.clear();
  };
  std::size_t previous = periods.size();
  for (const TrendPoint& p : line.points) {
    if (!p.rate || (previous != periods.size() && p.x != previous + 1)) flush();
    if (p.rate) {
      run.push_back(svg_number(x_at(p.x, periods.size())) + "," + svg_number(y_at(*p.rate)));
      previous = p.x;
    } else {
      previous = periods.size();
    }
  }
  flush();
  for (const TrendPoint& p : line.points) {
    if (!p.rate) continue;
    out += "<circle data-site=\"" + site + "\" data-" + dimension + "=\"" + html_escape(periods[p.x]) +
           "\" data-rate=\"" + fixed(*p.rate, 3) + "\" cx=\"" + svg_number(x_at(p.x, periods.size())) +
           "\" cy=\"" + svg_number(y_at(*p.rate)) + "\" r=\"4\" fill=\"" + colour +
           "\" stroke=\"#fff\" stroke-width=\"1.5\"><title>" + site + ", " + html_escape(periods[p.x]) +
           ": " + percent(*p.rate) + "</title></circle>";
  }
  return out + "</g>";
}

std::string chart_legend(const std::vector<TrendLine>& lines) {
  std::string out = "<ul class=\"legend\">";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += "<li><span class=\"swatch\" style=\"background:" +
           std::string(kSiteColours[i % std::size(kSiteColours)]) + "\"></span>" +
           html_escape(lines[i].site) + "</li>";
  }
  return out + "</ul>";
}

// --- Answer distributions --------------------------------------------------------------------------------

std::string distribution_bar(const RatingStats& q) {
  std::string out =
      "<svg class=\"bar\" width=\"100%\" height=\"26\" role=\"img\" aria-label=\"answers 1 to 5\">";
  double x = 0;
  for (int v = 1; v <= 5; ++v) {
    const int count = q.distribution[static_cast<std::size_t>(v - 1)];
    const double share = q.n > 0 ? 100.0 * count / q.n : 0;
    out += "<g data-value=\"" + std::to_string(v) + "\" data-count=\"" + std::to_string(count) + "\">";
    out += "<rect x=\"" + fixed(x, 3) + "%\" y=\"0\" width=\"" + fixed(share, 3) +
           "%\" height=\"26\" fill=\"" + kAnswerColours[v - 1] + "\"><title>" + std::to_string(v) + ": " +
           std::to_string(count) + " answers</title></rect>";
    if (share >= 6) {
      out += "<text x=\"" + fixed(x + share / 2, 3) +
             "%\" y=\"17.5\" text-anchor=\"middle\" font-size=\"13\" "
             "style=\"fill:" +
             std::string(kAnswerInk[v - 1]) + "\">" + std::to_string(count) + "</text>";
    }
    out += "</g>";
    x += share;
  }
  return out + "</svg>";
}

std::string distribution_row(const RatingStats& q, const std::map<std::string, std::string>& labels) {
  const std::string id = html_escape(q.question_id);
  std::string out = "<div class=\"question\" data-question=\"" + id + "\" data-n=\"" + std::to_string(q.n) +
                    "\" data-mean=\"" + fixed(q.mean, 2) + "\">";
  out += "<div class=\"text\">" + html_escape(label_for(labels, q.question_id)) + "<span class=\"id\">" + id +
         "</span></div>";
  out += distribution_bar(q);
  out += "<div class=\"stats\">n <b>" + std::to_string(q.n) + "</b> · mean <b>" + fixed(q.mean, 2) +
         "</b> · <b>" + percent(q.top_two_share) + "</b> positive</div>";
  return out + "</div>";
}

std::string answer_legend() {
  std::string out = "<ul class=\"legend\">";
  const char* words[] = {"1 (worst)", "2", "3", "4", "5 (best)"};
  for (std::size_t v = 0; v < 5; ++v) {
    out += "<li><span class=\"swatch\" style=\"background:" + std::string(kAnswerColours[v]) + "\"></span>" +
           words[v] + "</li>";
  }
  return out + "</ul>";
}

// --- Tiles, fleet ----------------------------------------------------------------------------------------

std::string tile(const std::string& metric, const std::optional<std::string>& value,
                 const std::string& label) {
  return "<div class=\"tile\"><div class=\"value\" data-scope=\"total\" data-metric=\"" + metric + "\"" +
         (value ? "" : " data-suppressed=\"true\"") + ">" + (value ? *value : kDash) +
         "</div><div class=\"label\">" + label + "</div></div>";
}

std::string summary_tiles(const Cell& total) {
  const bool visible = !total.suppressed;
  const RatingStats* overall = visible ? find_question(total, kTrendQuestion) : nullptr;
  std::optional<std::string> rate;
  if (overall && overall->n > 0) rate = percent(overall->top_two_share);
  return "<div class=\"tiles\">" +
         tile("responses", visible ? std::optional(std::to_string(total.responses)) : std::nullopt,
              "responses") +
         tile("positive", rate, "positive impression (4 or 5 overall)") +
         tile("thanks", visible ? std::optional(std::to_string(total.thanks)) : std::nullopt,
              "thank-you notes") +
         "</div>";
}

std::string last_seen(const std::string& iso) {
  if (iso.empty()) return "never";
  std::string out = iso.substr(0, 16);
  if (out.size() > 10) out[10] = ' ';
  return out + " UTC";
}

std::string fleet_row(const KioskRecord& k) {
  const std::string oldest = k.pending > 0 ? human_age(k.oldest_pending_age_s) : kDash;
  std::string out = "<tr data-kiosk=\"" + html_escape(k.id) + "\">";
  out += "<td data-field=\"id\">" + html_escape(k.id) +
         (k.revoked ? "<span class=\"badge\">revoked</span>" : "") + "</td>";
  out += "<td data-field=\"site\">" + html_escape(k.site) + "</td>";
  out += "<td data-field=\"last_seen_at\" data-value=\"" + html_escape(k.last_seen_at) + "\">" +
         html_escape(last_seen(k.last_seen_at)) + "</td>";
  out += "<td class=\"num\" data-field=\"pending\">" + std::to_string(k.pending) + "</td>";
  out += "<td class=\"num\" data-field=\"oldest_pending_age_s\" data-seconds=\"" +
         std::to_string(k.oldest_pending_age_s) + "\">" + oldest + "</td>";
  out += "<td class=\"num\" data-field=\"quarantined\">" + std::to_string(k.quarantined) + "</td>";
  out += "<td data-field=\"last_error\">" + html_escape(k.last_error) + "</td>";
  return out + "</tr>";
}

std::string header(const DashboardData& d) {
  return "<header><h1>Community feedback \u2014 " + html_escape(date_range(d.filters)) +
         "</h1><div class=\"who\"><span>Signed in as <b data-user=\"" + html_escape(d.user.name) + "\">" +
         html_escape(d.user.name) + "</b> (" + to_string(d.user.role) +
         ")</span><form method=\"post\" action=\"/logout\"><button type=\"submit\">Sign "
         "out</button></form></div>"
         "</header>";
}

std::string option(const std::string& value, const std::string& text, bool selected) {
  return "<option value=\"" + html_escape(value) + "\"" + (selected ? " selected" : "") + ">" +
         html_escape(text) + "</option>";
}

std::string filter_form(const DashboardData& d) {
  const DashboardFilters& f = d.filters;
  std::string out = "<form class=\"filters\" method=\"get\" action=\"/\">";
  out += "<label>Division<select name=\"site\">" + option("", "All divisions", f.site.empty());
  for (const std::string& site : d.sites) out += option(site, site, site == f.site);
  out += "</select></label>";
  out += "<label>From<input type=\"date\" name=\"from\" value=\"" + html_escape(f.from) + "\"></label>";
  out += "<label>To<input type=\"date\" name=\"to\" value=\"" + html_escape(f.to) + "\"></label>";
  out += "<label>Group by<select name=\"period\">" + option("week", "Week", f.period != "month") +
         option("month", "Month", f.period == "month") + "</select></label>";
  out += "<button class=\"primary\" type=\"submit\">Apply</button></form>";
  return out;
}

std::string downloads(const DashboardData& d) {
  const std::string filters = query_string(filter_params(d.filters, true));
  std::string out =
      "<section id=\"downloads\"><h2>Downloads</h2><p class=\"note\"><a href=\"" +
      html_escape("/api/v1/aggregates?group_by=site," + d.filters.period + "&format=csv&bom=1" + filters) +
      "\">Aggregates by division and " + d.filters.period + " (CSV)</a>";
  if (d.user.role == Role::Supervisor || d.user.role == Role::Admin) {
    out += "<br><a data-link=\"thanks-csv\" href=\"" +
           html_escape("/api/v1/thanks?format=csv&bom=1" + filters) + "\">Thank-you notes (CSV)</a>";
  }
  return out + "</p></section>";
}

}  // namespace

// --- Public -----------------------------------------------------------------------------------------------

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

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
  std::string body =
      "<div class=\"login\"><h1>Community feedback</h1>"
      "<p class=\"note\">Sign in with your analyst, supervisor or admin token.</p>";
  if (!message.empty()) body += "<p class=\"error\" role=\"alert\">" + html_escape(message) + "</p>";
  body +=
      "<form method=\"post\" action=\"/login\"><label for=\"token\">Token</label>"
      "<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" required autofocus>"
      "<button class=\"primary\" type=\"submit\">Sign in</button></form></div>";
  return page("Sign in — Community feedback", body);
}

std::string render_trend_chart(const AggregateResult& trend, const std::string& question_label) {
  const std::vector<std::string> periods = periods_of(trend);
  const std::vector<TrendLine> lines = trend_lines(trend, periods);
  const std::string dimension = trend.dimensions.size() == 2 ? trend.dimensions[1] : "week";
  std::string out = "<section id=\"trend\"><h2>Positive impression rate by division</h2>";
  if (lines.empty()) return out + "<p class=\"note\">No responses match these filters.</p></section>";
  out += chart_legend(lines);
  out += "<svg viewBox=\"0 0 " + svg_number(kChartW) + " " + svg_number(kChartH) +
         "\" width=\"100%\" role=\"img\" aria-label=\"positive impression rate by division\">";
  out += chart_axes(periods);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += chart_line(lines[i], periods, kSiteColours[i % std::size(kSiteColours)], dimension);
  }
  out += "</svg><p class=\"caption\">Share of answers 4 or 5 to \u201c" + html_escape(question_label) +
         "\", per " + dimension + ". Gaps: fewer than k responses (k = " + std::to_string(trend.k) +
         "), or a cell hidden so that a small one cannot be worked out.</p></section>";
  return out;
}

std::string render_distributions(const Cell& total, int k, const std::map<std::string, std::string>& labels) {
  std::string out = "<section id=\"distributions\"><h2>Answers per question</h2>";
  if (total.suppressed) {
    return out + "<p class=\"note\" data-suppressed=\"true\">" + kDash +
           " fewer than k responses (k = " + std::to_string(k) + "): nothing to show.</p></section>";
  }
  out += answer_legend();
  // The overall question first, the others by id.
  for (const RatingStats& q : total.questions) {
    if (q.question_id == kTrendQuestion) out += distribution_row(q, labels);
  }
  for (const RatingStats& q : total.questions) {
    if (q.question_id != kTrendQuestion) out += distribution_row(q, labels);
  }
  return out + "</section>";
}

std::string render_thanks_table(const AggregateResult& by_site) {
  std::string out =
      "<section id=\"thanks\"><h2>Thank-you notes by division</h2><table><thead><tr><th>Division</th>"
      "<th class=\"num\">Responses</th><th class=\"num\">Thank-you notes</th></tr></thead><tbody>";
  auto number = [](const Cell& c, const std::string& site, const char* metric, int value) {
    const std::string attrs =
        (site.empty() ? std::string(" data-total=\"true\"") : " data-site=\"" + html_escape(site) + "\"") +
        " data-metric=\"" + metric + "\"";
    if (c.suppressed) {
      return "<td class=\"num\"" + attrs + " data-suppressed=\"" + html_escape(c.suppression) +
             "\" title=\"fewer than k responses\">" + kDash + "</td>";
    }
    return "<td class=\"num\"" + attrs + ">" + std::to_string(value) + "</td>";
  };
  for (const Cell& c : by_site.cells) {
    const std::string& site = c.key.at(0);
    out += "<tr><td>" + html_escape(site) + "</td>" + number(c, site, "responses", c.responses) +
           number(c, site, "thanks", c.thanks) + "</tr>";
  }
  out += "<tr class=\"total\"><td>All divisions</td>" +
         number(by_site.total, "", "responses", by_site.total.responses) +
         number(by_site.total, "", "thanks", by_site.total.thanks) + "</tr></tbody></table>";
  out += "<p class=\"caption\">" + std::string(kDash) +
         " means fewer than k responses (k = " + std::to_string(by_site.k) +
         "), or hidden so that a small division cannot be worked out from the total.</p>";
  return out + "</section>";
  return out;
}

std::string render_fleet(const std::optional<std::vector<KioskRecord>>& fleet) {
  std::string out = "<section id=\"fleet\"><h2>Kiosks</h2>";
  if (!fleet) {
    return out + "<p class=\"note\" data-fleet=\"hidden\">Fleet status needs an admin token.</p></section>";
  }
  out +=
      "<table><thead><tr><th>Kiosk</th><th>Division</th><th>Last seen</th><th class=\"num\">Backlog</th>"
      "<th class=\"num\">Oldest pending</th><th class=\"num\">Quarantined</th><th>Last "
      "error</th></tr></thead>"
      "<tbody>";
  for (const KioskRecord& k : *fleet) out += fleet_row(k);
  return out + "</tbody></table></section>";
}

std::string render_dashboard(const DashboardData& d) {
  std::string body = header(d) + "<main>" + filter_form(d);
  if (!d.error.empty()) {
    body += "<p class=\"error\" role=\"alert\">" + html_escape(d.error) + "</p>";
  } else {
    body += summary_tiles(d.totals.total);
    body += "<div class=\"grid\"><div>" +
            render_trend_chart(d.trend, label_for(d.question_labels, kTrendQuestion)) + "</div><div>" +
            render_thanks_table(d.by_site) + downloads(d) + "</div></div>";
    body += render_distributions(d.totals.total, d.totals.k, d.question_labels);
  }
  body += render_fleet(d.fleet);
  body += "</main>";
  return page("Community feedback — " + date_range(d.filters), body);
}

}  // namespace fk::central
