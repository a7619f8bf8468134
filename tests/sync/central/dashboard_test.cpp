// The dashboard: rendering as functions of aggregate results (escaping, suppressed cells never shown as
// numbers), the session cookie, and the sign-in flow over real HTTP (cookie, roles, sign-out).
#include "sync/central/dashboard.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "central_test_support.hpp"
#include "http_test_support.hpp"
#include "sync/central/response_facts.hpp"
#include "sync/central/sessions.hpp"
#include "wire_samples.hpp"

using namespace fk;
using test::LiveCentral;

namespace {

const std::string kScript = "<script>alert(1)</script>";

central::Cell visible_cell(std::vector<std::string> key, int responses, int thanks, double rate) {
  central::Cell c;
  c.key = std::move(key);
  c.responses = responses;
  c.thanks = thanks;
  central::RatingStats q;
  q.question_id = "overall";
  q.n = responses;
  q.mean = 3.5;
  q.top_two_share = rate;
  q.distribution = {0, 1, 1, 1, responses - 3};
  c.questions.push_back(q);
  return c;
}

central::Cell suppressed_cell(std::vector<std::string> key) {
  central::Cell c;
  c.key = std::move(key);
  c.suppressed = true;
  c.suppression = "below_k";
  return c;
}

// The Origin a browser sends with a form on the dashboard's own page (cross-site posts: http_session_test.cpp).
httplib::Headers own_origin(LiveCentral& central) {
  return {{"Origin", "http://127.0.0.1:" + std::to_string(central.port())}};
}

httplib::Result login(LiveCentral& central, const std::string& token) {
  return central.client()->Post("/login", own_origin(central), "token=" + central::url_encode(token),
                                "application/x-www-form-urlencoded");
}

// "fk_session=<id>" from a Set-Cookie header.
std::string session_pair(const httplib::Result& res) {
  const std::string cookie = res->get_header_value("Set-Cookie");
  return cookie.substr(0, cookie.find(';'));
}

httplib::Result get_with_cookie(LiveCentral& central, const std::string& path, const std::string& cookie) {
  return central.client()->Get(path.c_str(), httplib::Headers{{"Cookie", cookie}});
}

}  // namespace

TEST_CASE("strings from data are HTML-escaped", "[dashboard]") {
  CHECK(central::render_login_page("<a href=\"x\">Tom & 'Jerry'</a>")
            .find("&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;") != std::string::npos);
  central::AggregateResult by_site;
  by_site.dimensions = {"site"};
  by_site.cells = {visible_cell({kScript}, 5, 2, 0.6)};
  by_site.total = visible_cell({}, 5, 2, 0.6);
  const std::string table = central::render_thanks_table(by_site);
  CHECK(table.find(kScript) == std::string::npos);
  CHECK(table.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(table.find("data-site=\"&lt;script&gt;alert(1)&lt;/script&gt;\" data-metric=\"thanks\">2</td>") !=
        std::string::npos);

  central::AggregateResult trend;
  trend.dimensions = {"site", "week"};
  trend.cells = {visible_cell({kScript, "2026-W45"}, 5, 0, 0.75),
                 visible_cell({kScript, "2026-W46"}, 5, 0, 0.5)};
  const std::string chart = central::render_trend_chart(trend, "<b>question</b>");
  CHECK(chart.find("<script>") == std::string::npos);
  CHECK(chart.find("<b>question") == std::string::npos);
  CHECK(chart.find("data-week=\"2026-W45\" data-rate=\"0.750\"") != std::string::npos);

  central::KioskRecord k;
  k.id = "lobby-<1>";
  k.site = kScript;
  k.last_error = "<img src=x onerror=alert(1)>";
  const std::string fleet = central::render_fleet(std::vector<central::KioskRecord>{k});
  CHECK(fleet.find('<' + std::string("img")) == std::string::npos);
  CHECK(fleet.find("<script>") == std::string::npos);
  CHECK(fleet.find("lobby-&lt;1&gt;") != std::string::npos);

  const std::string login_page = central::render_login_page(kScript);
  CHECK(login_page.find("<script>") == std::string::npos);
}

TEST_CASE("hostile values appear escaped everywhere in the whole page", "[dashboard]") {
  // Markup, quotes that would close an attribute, an ampersand and a mustache tag (a value is never read as a
  // template), in every kind of value the page shows.
  const std::string hostile = "\"><script>alert(1)</script>&'{{> style}}";
  const std::string escaped = "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&apos;{{&gt; style}}";
  central::DashboardData d;
  d.user = {hostile, central::Role::Admin};
  d.filters.site = hostile;
  d.filters.from = hostile;
  d.sites = {hostile};
  d.trend.dimensions = {"site", "week"};
  d.trend.cells = {visible_cell({hostile, "2026-W45"}, 5, 0, 0.75),
                   visible_cell({hostile, "2026-W46"}, 5, 0, 0.5)};
  d.totals.total = visible_cell({}, 5, 2, 0.6);
  d.by_site.dimensions = {"site"};
  d.by_site.cells = {visible_cell({hostile}, 5, 2, 0.6)};
  d.by_site.total = visible_cell({}, 5, 2, 0.6);
  d.question_labels["overall"] = hostile;
  central::KioskRecord k;
  k.id = hostile;
  k.site = hostile;
  k.last_seen_at = hostile;
  k.last_error = hostile;
  d.fleet = std::vector<central::KioskRecord>{k};

  const std::string page = central::render_dashboard(d);
  INFO(page);
  CHECK(page.find("<script>") == std::string::npos);
  CHECK(page.find(hostile) == std::string::npos);
  CHECK(page.find("<title>Community feedback \u2014 since " + escaped + "</title>") != std::string::npos);
  CHECK(page.find("<b data-user=\"" + escaped + "\">" + escaped + "</b> (admin)") != std::string::npos);
  CHECK(page.find("<option value=\"" + escaped + "\" selected>" + escaped + "</option>") !=
        std::string::npos);
  CHECK(page.find("name=\"from\" value=\"" + escaped + "\"") != std::string::npos);
  CHECK(page.find("<li><span class=\"swatch\" style=\"background:#0072B2\"></span>" + escaped + "</li>") !=
        std::string::npos);
  CHECK(page.find("<g data-series=\"" + escaped + "\">") != std::string::npos);
  CHECK(page.find("<title>" + escaped + ", 2026-W45: 75%</title>") != std::string::npos);
  CHECK(page.find("Share of answers 4 or 5 to \u201c" + escaped + "\u201d") != std::string::npos);
  CHECK(page.find("<div class=\"text\">" + escaped + "<span class=\"id\">overall</span>") !=
        std::string::npos);
  CHECK(page.find("<tr><td>" + escaped + "</td><td class=\"num\" data-site=\"" + escaped + "\"") !=
        std::string::npos);
  // The site filter is URL-encoded into the download links, then escaped as an attribute.
  CHECK(page.find("&amp;site=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E%26%27%7B%7B%3E%20style%7D%7D") !=
        std::string::npos);
  CHECK(page.find("<tr data-kiosk=\"" + escaped + "\"><td data-field=\"id\">" + escaped + "</td>") !=
        std::string::npos);
  CHECK(page.find("data-value=\"" + escaped + "\">") != std::string::npos);
  CHECK(page.find("<td data-field=\"last_error\">" + escaped + "</td>") != std::string::npos);

  d.error = hostile;  // a refused filter's message can quote what was typed
  const std::string refused = central::render_dashboard(d);
  CHECK(refused.find("<p class=\"error\" role=\"alert\">" + escaped + "</p>") != std::string::npos);
  CHECK(refused.find("<script>") == std::string::npos);
  const std::string login = central::render_login_page(hostile);
  CHECK(login.find("<p class=\"error\" role=\"alert\">" + escaped + "</p>") != std::string::npos);
  CHECK(login.find("<script>") == std::string::npos);
}

TEST_CASE("the page starts with the doctype and carries its whole style sheet", "[dashboard]") {
  const std::string login = central::render_login_page("");
  CHECK(login.rfind("<!DOCTYPE html>\n", 0) == 0);
  CHECK(login.find(":root{--ink:#14202e;") != std::string::npos);
  CHECK(login.find(".login input{width:100%}") != std::string::npos);  // the last rule: nothing cut short
  CHECK(login.find("role=\"alert\"") == std::string::npos);            // no message, no empty error box
}

TEST_CASE("suppressed cells are gaps or a dash, never numbers", "[dashboard]") {
  central::AggregateResult trend;
  trend.k = 5;
  trend.dimensions = {"site", "week"};
  trend.cells = {visible_cell({"Central Division", "2026-W45"}, 6, 1, 0.5),
                 suppressed_cell({"Central Division", "2026-W46"}),
                 visible_cell({"Central Division", "2026-W47"}, 7, 0, 0.25),
                 visible_cell({"Central Division", "2026-W48"}, 8, 0, 1.0)};
  const std::string chart = central::render_trend_chart(trend, "Overall");
  // Three points; W46 has none and breaks the line: one polyline only (W47–W48), since W45 stands alone.
  CHECK(chart.find("data-week=\"2026-W46\"") == std::string::npos);
  const std::regex circle("<circle ");
  CHECK(std::distance(std::sregex_iterator(chart.begin(), chart.end(), circle), std::sregex_iterator()) == 3);
  const std::regex polyline("<polyline ");
  CHECK(std::distance(std::sregex_iterator(chart.begin(), chart.end(), polyline), std::sregex_iterator()) ==
        1);
  CHECK(chart.find("Gaps: fewer than k responses (k = 5)") != std::string::npos);

  central::AggregateResult by_site;
  by_site.k = 5;
  by_site.dimensions = {"site"};
  central::Cell hidden = suppressed_cell({"Harbour Division"});
  hidden.thanks = 2;  // never set by the engine; would leak if rendered
  hidden.responses = 4;
  by_site.cells = {hidden, visible_cell({"Central Division"}, 9, 3, 0.5)};
  by_site.total = suppressed_cell({});
  const std::string table = central::render_thanks_table(by_site);
  CHECK(table.find("data-site=\"Harbour Division\" data-metric=\"thanks\" data-suppressed=\"below_k\" "
                   "title=\"fewer than k responses\">\u2014</td>") != std::string::npos);
  CHECK(table.find(">2</td>") == std::string::npos);
  CHECK(table.find(">4</td>") == std::string::npos);
  CHECK(table.find("data-site=\"Central Division\" data-metric=\"thanks\">3</td>") != std::string::npos);

  const std::string distributions = central::render_distributions(suppressed_cell({}), 5, {});
  CHECK(distributions.find("data-n=") == std::string::npos);
  CHECK(distributions.find("data-suppressed=\"true\"") != std::string::npos);
}

TEST_CASE("ages read like a person would say them", "[dashboard]") {
  CHECK(central::human_age(45) == "45 s");
  CHECK(central::human_age(12 * 60) == "12 min");
  CHECK(central::human_age(3 * 3600) == "3 h");
  CHECK(central::human_age(3 * 86400) == "3 d");
  CHECK(central::fixed(2.0 / 3, 3) == "0.667");
}

// Sessions themselves (expiry, removal, the per-user cap) are the store's: store_contract_test.cpp.
TEST_CASE("the session id is read from the Cookie header", "[dashboard]") {
  CHECK(central::cookie_value("a=1; fk_session=abc; b=2", "fk_session") == "abc");
  CHECK(central::cookie_value("fk_session=xyz", "fk_session") == "xyz");
  CHECK(central::cookie_value("xfk_session=1", "fk_session").empty());
  CHECK(central::cookie_value("", "fk_session").empty());
}

TEST_CASE("sign in over HTTP: a bad or kiosk token gets the form again with 401", "[dashboard][http]") {
  LiveCentral central(test::config_with_lobby(FK_LOBBY_SURVEY));
  auto page = central.client()->Get("/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(page->body.find("name=\"token\"") != std::string::npos);
  CHECK(page->body.find("Sign in") != std::string::npos);
  for (const std::string& token : {std::string("not-a-token"), central.kiosk_token, std::string()}) {
    auto res = login(central, token);
    REQUIRE(res);
    CHECK(res->status == 401);
    CHECK(res->body.find("That token was not accepted.") != std::string::npos);
    CHECK_FALSE(res->has_header("Set-Cookie"));
  }
}

TEST_CASE("sign in over HTTP: a user token opens a session; the dashboard shows by role",
          "[dashboard][http]") {
  LiveCentral central(test::config_with_lobby(FK_LOBBY_SURVEY));
  auto res = login(central, central.analyst_token);
  REQUIRE(res);
  CHECK(res->status == 303);
  CHECK(res->get_header_value("Location") == "/");
  const std::string set_cookie = res->get_header_value("Set-Cookie");
  CHECK(set_cookie.find("HttpOnly") != std::string::npos);
  CHECK(set_cookie.find("SameSite=Strict") != std::string::npos);
  CHECK(set_cookie.find("Path=/") != std::string::npos);
  // The cookie ends with the session (12 h), and says nothing of Secure over plain HTTP on loopback.
  CHECK(set_cookie.find("Max-Age=43200") != std::string::npos);
  CHECK(set_cookie.find("Secure") == std::string::npos);
  CHECK(set_cookie.find(central.analyst_token) == std::string::npos);  // a session id, not the token
  const std::string analyst = session_pair(res);
  REQUIRE(analyst.rfind("fk_session=", 0) == 0);

  auto page = get_with_cookie(central, "/", analyst);
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->body.find("Community feedback \u2014 all dates") != std::string::npos);
  CHECK(page->body.find("Fleet status needs an admin token.") != std::string::npos);
  CHECK(page->body.find("data-kiosk=") == std::string::npos);
  CHECK(page->body.find("data-link=\"thanks-csv\"") == std::string::npos);
  CHECK(page->get_header_value("Cache-Control") == "no-store");

  // The API takes the cookie too, within the role: aggregates yes, thanks no.
  auto aggregates = get_with_cookie(central, "/api/v1/aggregates", analyst);
  REQUIRE(aggregates);
  CHECK(aggregates->status == 200);
  test::expect_error(get_with_cookie(central, "/api/v1/thanks", analyst), 403, "forbidden");
  test::expect_error(get_with_cookie(central, "/api/v1/aggregates", "fk_session=forged"), 401,
                     "unauthorized");
  // A bearer token still decides alone when it is there.
  auto bearer =
      central.client(central.admin_token)->Get("/api/v1/kiosks", httplib::Headers{{"Cookie", analyst}});
  REQUIRE(bearer);
  CHECK(bearer->status == 200);

  auto admin_login = login(central, central.admin_token);
  REQUIRE(admin_login);
  const std::string admin = session_pair(admin_login);
  auto admin_page = get_with_cookie(central, "/", admin);
  REQUIRE(admin_page);
  CHECK(admin_page->body.find("data-kiosk=\"lobby-1\"") != std::string::npos);
  CHECK(admin_page->body.find("data-kiosk=\"lobby-2\"") != std::string::npos);
  CHECK(admin_page->body.find("data-link=\"thanks-csv\"") != std::string::npos);
  auto csv = get_with_cookie(central, "/api/v1/thanks?format=csv&bom=1", admin);
  REQUIRE(csv);
  CHECK(csv->status == 200);
  CHECK(csv->get_header_value("Content-Type") == "text/csv; charset=utf-8");

  // Sign out: the cookie is cleared and the session no longer opens anything.
  httplib::Headers logout_headers = own_origin(central);
  logout_headers.emplace("Cookie", analyst);
  auto out = central.client()->Post("/logout", logout_headers, "", "application/x-www-form-urlencoded");
  REQUIRE(out);
  CHECK(out->status == 303);
  CHECK(out->get_header_value("Set-Cookie").find("Max-Age=0") != std::string::npos);
  auto after = get_with_cookie(central, "/", analyst);
  REQUIRE(after);
  CHECK(after->body.find("name=\"token\"") != std::string::npos);
  test::expect_error(get_with_cookie(central, "/api/v1/aggregates", analyst), 401, "unauthorized");
  // The admin's session is another one and still open.
  CHECK(get_with_cookie(central, "/", admin)->body.find("data-kiosk=\"lobby-1\"") != std::string::npos);
}

TEST_CASE("the dashboard shows the API's numbers and a refused filter as a message", "[dashboard][http]") {
  LiveCentral central(test::config_with_lobby(FK_LOBBY_SURVEY));
  std::vector<model::BatchItem> batch;
  for (int i = 0; i < 4; ++i) {
    model::Response r = test::sample_response();
    r.completed_at = "2026-11-0" + std::to_string(2 + i) + "T10:00:00Z";
    r.answers = {{"overall", 2 + i}, {"thank", i == 0}};
    if (i == 0) r.answers.push_back({"thanks_note", "<script>alert(1)</script> Diaz"});
    batch.push_back(test::item_for(r));
  }
  test::expect_receipt(test::post_json(*central.client(central.kiosk_token), test::kResponsesPath,
                                       model::encode_batch(batch)));
  const std::string admin = session_pair(login(central, central.admin_token));
  auto page = get_with_cookie(central, "/", admin);
  REQUIRE(page);
  // overall: 2,3,4,5 → mean 3.50, n 4; one note (whose text never appears).
  CHECK(page->body.find("data-question=\"overall\" data-n=\"4\" data-mean=\"3.50\"") != std::string::npos);
  CHECK(page->body.find("Overall, how was your experience today?") != std::string::npos);
  CHECK(page->body.find("data-site=\"Central Division\" data-metric=\"thanks\">1</td>") != std::string::npos);
  CHECK(page->body.find("Diaz") == std::string::npos);
  CHECK(page->body.find("<script>") == std::string::npos);

  auto bad = get_with_cookie(central, "/?from=yesterday", admin);
  REQUIRE(bad);
  CHECK(bad->status == 200);
  CHECK(bad->body.find("must be a calendar date") != std::string::npos);
}
