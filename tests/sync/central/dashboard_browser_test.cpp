// The dashboard in a real browser: headless Chromium driven through chromedriver's W3C WebDriver protocol
// (cpp-httplib + nlohmann json, no Selenium). Signs in with a token as a person would, reads the numbers out
// of the DOM and checks them against the API's JSON for the same query, and keeps screenshots as artifacts.
// Chromium or chromedriver missing is a failure, not a skip: deploy/install-deps.sh installs both.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "central_test_support.hpp"
#include "http_test_support.hpp"
#include "sync/central/dashboard.hpp"
#include "sync/central/response_facts.hpp"
#include "wire_samples.hpp"

using namespace fk;
using nlohmann::json;
using test::LiveCentral;

namespace {

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr const char* kChromedriver = "/usr/bin/chromedriver";
constexpr const char* kElementKey = "element-6066-11e4-a52e-4f735466cecf";
constexpr auto kWait = std::chrono::seconds(20);

// --- Fixture: three divisions, eight weeks ----------------------------------------------------------------

// Mondays of ISO weeks 2026-W40 … W47 (the test machine's clock is later; kiosk dates ahead of it are not
// believed).
const char* kMondays[] = {"2026-09-28", "2026-10-05", "2026-10-12", "2026-10-19",
                          "2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16"};

std::string plus_days(const std::string& date, int n) {
  using namespace std::chrono;
  const year_month_day start{year{std::stoi(date.substr(0, 4))},
                             month{static_cast<unsigned>(std::stoi(date.substr(5, 2)))},
                             std::chrono::day{static_cast<unsigned>(std::stoi(date.substr(8, 2)))}};
  const year_month_day d{sys_days{start} + days{n}};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buffer;
}

model::Response visit(const std::string& day, int overall, int listened, int next_steps, bool thanks) {
  model::Response r = test::sample_response();
  r.completed_at = day + "T10:00:00Z";
  r.started_at = day + "T09:59:00Z";
  r.answers = {{"overall", overall}, {"listened", listened}, {"thank", thanks}};
  if (next_steps > 0) r.answers.push_back({"next_steps", next_steps});
  if (thanks) r.answers.push_back({"thanks_note", "Thank you, Officer Diaz"});
  return r;
}

// Site s, week w: 3–5 visits (Northern Division has a single visit in W45, which suppresses it and, to
// protect it, neighbours), ratings leaning positive, differently per division.
std::vector<model::Response> visits_of(int s, int w) {
  static const int kPattern[] = {5, 4, 3, 4, 5, 2, 4, 5, 3, 4, 1, 5};
  const int count = (s == 2 && w == 5) ? 1 : 3 + (s + w) % 3;
  std::vector<model::Response> out;
  for (int i = 0; i < count; ++i) {
    const int overall = kPattern[static_cast<std::size_t>(i * 5 + w * (s + 1) + s) % std::size(kPattern)];
    const int listened = kPattern[static_cast<std::size_t>(i * 3 + w + 2 * s + 1) % std::size(kPattern)];
    const int next_steps =
        i % 2 == 0 ? kPattern[static_cast<std::size_t>(i + w + s) % std::size(kPattern)] : 0;
    out.push_back(visit(plus_days(kMondays[w], i % 5), overall, listened, next_steps, (i + w + s) % 4 == 0));
  }
  return out;
}

void send_batch(LiveCentral& central, const std::string& token,
                const std::vector<model::Response>& responses) {
  std::vector<model::BatchItem> batch;
  for (const auto& r : responses) batch.push_back(test::item_for(r));
  const model::Receipt receipt = test::expect_receipt(
      test::post_json(*central.client(token), test::kResponsesPath, model::encode_batch(batch)));
  for (const auto& result : receipt.results) REQUIRE(result.status == model::ItemStatus::Created);
}

void heartbeat(LiveCentral& central, const std::string& token, const model::Heartbeat& hb) {
  auto res = test::post_json(*central.client(token), "/api/v1/kiosks/heartbeat", model::encode_heartbeat(hb));
  REQUIRE(res);
  REQUIRE(res->status == 200);
}

void load_fixture(LiveCentral& central) {
  const std::string third_token = central::new_token();
  test::must(central.store().add_kiosk("lobby-3", "Northern Division", central::token_hash(third_token),
                                       model::utc_now_iso8601()),
             "third kiosk");
  const std::string* tokens[] = {&central.kiosk_token, &central.other_kiosk_token, &third_token};
  for (int s = 0; s < 3; ++s) {
    std::vector<model::Response> all;
    for (int w = 0; w < 8; ++w) {
      for (auto& r : visits_of(s, w)) all.push_back(std::move(r));
    }
    send_batch(central, *tokens[s], all);
  }
  heartbeat(central, central.kiosk_token, {"0.4.0", 0, 0, 0, ""});
  heartbeat(central, central.other_kiosk_token, {"0.4.0", 14, 3 * 3600, 2, "HTTP 503 from central"});
  heartbeat(central, third_token, {"0.3.9", 3, 600, 0, ""});
}

json api_json(LiveCentral& central, const std::string& token, const std::string& path) {
  auto res = central.client(token)->Get(path.c_str());
  REQUIRE(res);
  INFO(path << " → " << res->status << " " << res->body);
  REQUIRE(res->status == 200);
  return json::parse(res->body);
}

// --- chromedriver and a minimal WebDriver client ----------------------------------------------------------

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string artifacts_dir() {
  const std::string dir = std::string(FK_ARTIFACTS) + "/dashboard";
  std::filesystem::create_directories(dir);
  return dir;
}

// chromedriver on a free loopback port, stopped (by its pid) when this goes out of scope.
class Chromedriver {
 public:
  Chromedriver() : port_(free_port()) {
    const std::string log = artifacts_dir() + "/chromedriver.log";
    const std::string port_arg = "--port=" + std::to_string(port_);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
      ::execl(kChromedriver, "chromedriver", port_arg.c_str(), "--allowed-ips=127.0.0.1",
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    httplib::Client probe("127.0.0.1", port_);
    probe.set_connection_timeout(1, 0);
    const auto deadline = std::chrono::steady_clock::now() + kWait;
    while (std::chrono::steady_clock::now() < deadline) {
      auto res = probe.Get("/status");
      if (res && res->status == 200 && json::parse(res->body)["value"]["ready"] == true) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL("chromedriver did not become ready on port " << port_ << "; see " << log);
  }
  ~Chromedriver() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  Chromedriver(const Chromedriver&) = delete;
  Chromedriver& operator=(const Chromedriver&) = delete;
  int port() const { return port_; }

 private:
  int port_;
  pid_t pid_ = -1;
};

class WebDriver {
 public:
  WebDriver(int port, const std::string& profile_dir) : http_("127.0.0.1", port) {
    http_.set_connection_timeout(5, 0);
    http_.set_read_timeout(60, 0);
    const json caps = {{"capabilities",
                        {{"alwaysMatch",
                          {{"browserName", "chrome"},
                           {"goog:chromeOptions",
                            {{"binary", kChromium},
                             {"args",
                              {"--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1366,900",
                               "--disable-dev-shm-usage", "--user-data-dir=" + profile_dir}}}}}}}}};
    const json created = call("POST", "/session", caps);
    session_ = "/session/" + created["sessionId"].get<std::string>();
  }
  ~WebDriver() {
    if (!session_.empty()) http_.Delete(session_.c_str());
  }
  WebDriver(const WebDriver&) = delete;
  WebDriver& operator=(const WebDriver&) = delete;

  json call(const std::string& method, const std::string& path, const json& body = json::object()) {
    httplib::Result res = method == "GET"      ? http_.Get(path.c_str())
                          : method == "DELETE" ? http_.Delete(path.c_str())
                                               : http_.Post(path.c_str(), body.dump(), "application/json");
    REQUIRE(res);
    INFO(method << " " << path << " → " << res->status << " " << res->body.substr(0, 2000));
    REQUIRE(res->status == 200);
    return json::parse(res->body)["value"];
  }
  json session(const std::string& method, const std::string& path, const json& body = json::object()) {
    return call(method, session_ + path, body);
  }

  void go(const std::string& url) { session("POST", "/url", {{"url", url}}); }
  std::vector<std::string> find_all(const std::string& css) {
    std::vector<std::string> ids;
    for (const json& e : session("POST", "/elements", {{"using", "css selector"}, {"value", css}})) {
      ids.push_back(e[kElementKey].get<std::string>());
    }
    return ids;
  }
  std::string wait_for(const std::string& css) {
    const auto deadline = std::chrono::steady_clock::now() + kWait;
    while (std::chrono::steady_clock::now() < deadline) {
      if (auto found = find_all(css); !found.empty()) return found.front();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL("no element matches " << css << " after " << kWait.count() << " s");
    return {};
  }
  void type(const std::string& element, const std::string& text) {
    session("POST", "/element/" + element + "/value", {{"text", text}});
  }
  void click(const std::string& element) { session("POST", "/element/" + element + "/click"); }
  json script(const std::string& body) {
    return session("POST", "/execute/sync", {{"script", body}, {"args", json::array()}});
  }
  void resize(int width, int height) {
    session("POST", "/window/rect", {{"width", width}, {"height", height}});
  }
  std::string screenshot_base64() { return session("GET", "/screenshot").get<std::string>(); }

 private:
  httplib::Client http_;
  std::string session_;
};

std::string base64_decode(const std::string& in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : in) {
    const int v = value(c);
    if (v < 0) continue;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

// The whole page at `width` pixels wide, saved as PNG.
void save_screenshot(WebDriver& driver, int width, const std::string& file) {
  driver.resize(width, 900);
  const int height = driver.script("return document.documentElement.scrollHeight;").get<int>();
  driver.resize(width, std::max(768, height + 120));
  const std::string png = base64_decode(driver.screenshot_base64());
  REQUIRE(png.rfind("\x89PNG", 0) == 0);
  std::ofstream(file, std::ios::binary) << png;
  INFO("screenshot: " << file);
  CHECK(std::filesystem::file_size(file) > 10000);
}

// Everything with a number on it, read out of the DOM in one go.
constexpr const char* kReadDashboard = R"js(
const all = (sel) => Array.from(document.querySelectorAll(sel));
const attr = (e, name) => e.getAttribute(name);
return {
  title: document.querySelector('h1').textContent,
  points: all('circle[data-rate]').map(e => ({site: attr(e, 'data-site'), week: attr(e, 'data-week'),
                                             rate: attr(e, 'data-rate')})),
  polylines: all('polyline[data-site]').length,
  questions: all('[data-question]').map(e => ({id: attr(e, 'data-question'), n: attr(e, 'data-n'),
                                              mean: attr(e, 'data-mean'), text: e.innerText})),
  thanks: all('td[data-metric="thanks"][data-site]').map(e => ({site: attr(e, 'data-site'),
                                                                text: e.textContent.trim(),
                                                                suppressed: attr(e, 'data-suppressed') || ''})),
  fleet: all('tr[data-kiosk]').map(e => ({
    id: attr(e, 'data-kiosk'),
    site: e.querySelector('[data-field="site"]').textContent,
    pending: e.querySelector('[data-field="pending"]').textContent,
    quarantined: e.querySelector('[data-field="quarantined"]').textContent,
    seconds: attr(e.querySelector('[data-field="oldest_pending_age_s"]'), 'data-seconds'),
    oldest: e.querySelector('[data-field="oldest_pending_age_s"]').textContent,
    last_error: e.querySelector('[data-field="last_error"]').textContent})),
  fleet_hidden: document.querySelector('[data-fleet="hidden"]') !== null,
  thanks_link: (document.querySelector('a[data-link="thanks-csv"]') || {href: ''}).href,
  scripts: document.querySelectorAll('script').length,
  caption: document.querySelector('#trend .caption') ? document.querySelector('#trend .caption').textContent : ''
};
)js";

const json* find_question(const json& cell, const std::string& id) {
  for (const json& q : cell["questions"]) {
    if (q["question"] == id) return &q;
  }
  return nullptr;
}

void sign_in(WebDriver& driver, const std::string& base, const std::string& token) {
  driver.go(base + "/");
  driver.type(driver.wait_for("input[name=token]"), token);
  driver.click(driver.wait_for("button[type=submit]"));
  driver.wait_for("section#trend");
}

// The chart's points are the API's site × week cells: one point per visible cell with overall ratings, at
// its top_two_share; none for a suppressed cell.
void check_trend(const json& dom, const json& api) {
  std::map<std::pair<std::string, std::string>, double> shown;
  for (const json& p : dom["points"]) shown[{p["site"], p["week"]}] = std::stod(p["rate"].get<std::string>());
  std::size_t visible = 0, suppressed = 0;
  for (const json& cell : api["cells"]) {
    const std::pair<std::string, std::string> key{cell["key"]["site"], cell["key"]["week"]};
    INFO(key.first << " " << key.second);
    if (cell["suppressed"].get<bool>()) {
      ++suppressed;
      CHECK(shown.count(key) == 0);
      continue;
    }
    const json* overall = find_question(cell, "overall");
    REQUIRE(overall != nullptr);
    ++visible;
    REQUIRE(shown.count(key) == 1);
    CHECK(std::abs(shown[key] - (*overall)["top_two_share"].get<double>()) < 0.0005);
  }
  CHECK(shown.size() == visible);
  // The fixture must exercise both: points, and gaps.
  CHECK(visible >= 12);
  CHECK(suppressed >= 2);
  CHECK(dom["polylines"].get<int>() >= 3);
}

void check_questions(const json& dom, const json& api_total) {
  REQUIRE_FALSE(api_total["suppressed"].get<bool>());
  REQUIRE(dom["questions"].size() == api_total["questions"].size());
  for (const json& q : api_total["questions"]) {
    const std::string id = q["question"];
    INFO(id);
    const auto it = std::find_if(dom["questions"].begin(), dom["questions"].end(),
                                 [&](const json& d) { return d["id"] == id; });
    REQUIRE(it != dom["questions"].end());
    CHECK(std::stoi((*it)["n"].get<std::string>()) == q["n"].get<int>());
    CHECK(std::abs(std::stod((*it)["mean"].get<std::string>()) - q["mean"].get<double>()) < 0.005);
  }
  // Labelled with the lobby survey's English text.
  const auto overall = std::find_if(dom["questions"].begin(), dom["questions"].end(),
                                    [](const json& d) { return d["id"] == "overall"; });
  CHECK((*overall)["text"].get<std::string>().find("Overall, how was your experience today?") !=
        std::string::npos);
}

void check_thanks(const json& dom, const json& api) {
  REQUIRE(dom["thanks"].size() == api["cells"].size());
  for (const json& cell : api["cells"]) {
    const std::string site = cell["key"]["site"];
    INFO(site);
    const auto it = std::find_if(dom["thanks"].begin(), dom["thanks"].end(),
                                 [&](const json& d) { return d["site"] == site; });
    REQUIRE(it != dom["thanks"].end());
    if (cell["suppressed"].get<bool>()) {
      CHECK((*it)["text"] == "\u2014");
      CHECK((*it)["suppressed"] == cell["suppression"]);
    } else {
      CHECK((*it)["text"] == std::to_string(cell["thanks"].get<int>()));
    }
  }
}

void check_fleet(const json& dom, const json& api) {
  REQUIRE(dom["fleet"].size() == api["kiosks"].size());
  for (std::size_t i = 0; i < api["kiosks"].size(); ++i) {
    const json& k = api["kiosks"][i];
    const json& row = dom["fleet"][i];
    INFO(k.dump());
    CHECK(row["id"] == k["id"]);
    CHECK(row["site"] == k["site"]);
    CHECK(row["pending"] == std::to_string(k["pending"].get<int>()));
    CHECK(row["quarantined"] == std::to_string(k["quarantined"].get<int>()));
    CHECK(row["seconds"] == std::to_string(k["oldest_pending_age_s"].get<int>()));
    CHECK(row["last_error"] == k["last_error"]);
    if (k["pending"].get<int>() > 0) {
      CHECK(row["oldest"] == central::human_age(k["oldest_pending_age_s"].get<std::int64_t>()));
    }
  }
}

}  // namespace

TEST_CASE("headless Chromium: sign in, the dashboard's numbers equal the API's, screenshots", "[browser]") {
  if (!std::filesystem::exists(kChromium) || !std::filesystem::exists(kChromedriver)) {
    FAIL("the dashboard browser test needs " << kChromium << " and " << kChromedriver
                                             << ": apt-get install -y chromium chromium-driver "
                                                "(deploy/install-deps.sh installs them)");
  }
  LiveCentral central(test::config_with_lobby(FK_LOBBY_SURVEY));
  load_fixture(central);
  const json by_site_week = api_json(central, central.analyst_token, "/api/v1/aggregates?group_by=site,week");
  const json total = api_json(central, central.analyst_token, "/api/v1/aggregates");
  const json by_site = api_json(central, central.analyst_token, "/api/v1/aggregates?group_by=site");
  const json kiosks = api_json(central, central.admin_token, "/api/v1/kiosks");

  test::TempDir profile("fk-chromium");
  Chromedriver chromedriver;
  WebDriver driver(chromedriver.port(), profile.str());
  const std::string base = central.server().base_url();
  const std::string dir = artifacts_dir();

  // A wrong token: the form again, with the message.
  driver.go(base + "/");
  save_screenshot(driver, 1366, dir + "/login-1366.png");
  driver.type(driver.wait_for("input[name=token]"), "not-a-token");
  driver.click(driver.wait_for("button[type=submit]"));
  driver.wait_for(".login .error");

  SECTION("as an analyst") {
    sign_in(driver, base, central.analyst_token);
    const json dom = driver.script(kReadDashboard);
    INFO(dom.dump(1));
    CHECK(dom["title"] == "Community feedback \u2014 all dates");
    CHECK(dom["scripts"] == 0);
    CHECK(dom["caption"].get<std::string>().find("Gaps: fewer than k responses") != std::string::npos);
    check_trend(dom, by_site_week);
    check_questions(dom, total["total"]);
    check_thanks(dom, by_site);
    CHECK(dom["fleet_hidden"].get<bool>());
    CHECK(dom["fleet"].empty());
    CHECK(dom["thanks_link"] == "");
    // Sign out: back to the form.
    driver.click(driver.wait_for("header form button"));
    driver.wait_for("input[name=token]");
  }
  SECTION("as an admin, with the fleet, at 1366 and 1920 pixels") {
    sign_in(driver, base, central.admin_token);
    const json dom = driver.script(kReadDashboard);
    INFO(dom.dump(1));
    check_trend(dom, by_site_week);
    check_questions(dom, total["total"]);
    check_thanks(dom, by_site);
    CHECK_FALSE(dom["fleet_hidden"].get<bool>());
    check_fleet(dom, kiosks);
    CHECK(dom["thanks_link"].get<std::string>().find("/api/v1/thanks?format=csv&bom=1") != std::string::npos);
    save_screenshot(driver, 1366, dir + "/dashboard-1366.png");
    save_screenshot(driver, 1920, dir + "/dashboard-1920.png");
  }
}
