// Protocol tests as data: tests/fixtures/api/cases.json lists requests and the answers they must get;
// each is replayed in order against one live server. API.md quotes the same files, and a test keeps the
// two in step, so the documentation cannot drift from what the server does.
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <set>

#include "http_test_support.hpp"
#include "sync/model/survey_parser.hpp"

using namespace fk;
using nlohmann::json;

namespace {

const std::string kApiFixtures = std::string(FK_FIXTURES) + "/api/";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) FAIL("cannot read " << path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Same JSON, except that keys named in `ignore` need only hold a value of the same type (times, which the
// server takes from its own clock). Says where the first difference is.
bool same_shape(const json& expected, const json& actual, const std::set<std::string>& ignore,
                const std::string& where, std::string& why) {
  if (expected.type() != actual.type()) {
    why = where + ": expected " + expected.dump() + ", got " + actual.dump();
    return false;
  }
  if (expected.is_object()) {
    if (expected.size() != actual.size()) {
      why = where + ": expected keys of " + expected.dump() + ", got " + actual.dump();
      return false;
    }
    for (const auto& [key, value] : expected.items()) {
      if (!actual.contains(key)) {
        why = where + ": missing \"" + key + "\"";
        return false;
      }
      if (ignore.count(key) != 0) {
        if (value.type() != actual.at(key).type()) {
          why = where + "." + key + ": expected a value like " + value.dump() + ", got " +
                actual.at(key).dump();
          return false;
        }
        continue;
      }
      if (!same_shape(value, actual.at(key), ignore, where + "." + key, why)) return false;
    }
    return true;
  }
  if (expected.is_array()) {
    if (expected.size() != actual.size()) {
      why = where + ": expected " + std::to_string(expected.size()) + " elements, got " + actual.dump();
      return false;
    }
    for (std::size_t i = 0; i < expected.size(); ++i) {
      if (!same_shape(expected[i], actual[i], ignore, where + "[" + std::to_string(i) + "]", why))
        return false;
    }
    return true;
  }
  if (expected != actual) {
    why = where + ": expected " + expected.dump() + ", got " + actual.dump();
    return false;
  }
  return true;
}

std::string token_for(const test::LiveCentral& central, const std::string& auth) {
  if (auth == "kiosk") return central.kiosk_token;
  if (auth == "other_kiosk") return central.other_kiosk_token;
  if (auth == "revoked") return central.revoked_token;
  if (auth == "admin") return central.admin_token;
  if (auth == "analyst") return central.analyst_token;
  if (auth == "unknown") return central::new_token();
  if (auth == "none") return {};
  FAIL("unknown auth '" << auth << "' in cases.json");
  return {};
}

// A case's "publish": a survey file stored (and assigned) before its request, as `survey publish` would.
void publish_for_case(test::LiveCentral& central, const json& publish) {
  const std::string toml = read_text(kApiFixtures + publish.at("file").get<std::string>());
  auto survey = model::parse_survey(toml, publish.at("file").get<std::string>());
  REQUIRE(survey.ok());
  std::vector<central::SurveyAssignment> assignments;
  for (const auto& site : publish.value("sites", json::array())) {
    assignments.push_back({central::AssignmentKind::Site, site.get<std::string>(), survey->id});
  }
  for (const auto& event : publish.value("events", json::array())) {
    assignments.push_back({central::AssignmentKind::Event, event.get<std::string>(), survey->id});
  }
  const central::PublishedSurvey published{survey->id, survey->version, model::payload_hash(toml), toml,
                                           "2026-11-20T08:00:00Z"};
  REQUIRE(central.store().publish_survey(published, assignments).ok());
}

httplib::Result send_case(const test::LiveCentral& central, const json& c) {
  auto client = central.client(token_for(central, c.at("auth")));
  httplib::Headers headers;
  const json request_headers = c.value("request_headers", json::object());
  for (const auto& [name, value] : request_headers.items()) headers.emplace(name, value.get<std::string>());
  if (c.at("method") == "GET") return client->Get(c.at("path").get<std::string>().c_str(), headers);
  std::string body = read_text(kApiFixtures + c.at("request").get<std::string>());
  if (c.contains("pad_to")) body.resize(c.at("pad_to").get<std::size_t>(), ' ');
  const std::string type = c.value("content_type", "application/json");
  return client->Post(c.at("path").get<std::string>().c_str(), body, type.c_str());
}

json cases() {
  return json::parse(read_text(kApiFixtures + "cases.json")).at("cases");
}

}  // namespace

TEST_CASE("every documented API example replays against a live server", "[http][api]") {
  // Small limits so that the refusals fit in readable example files.
  central::ServerConfig config = test::test_config();
  config.limits.max_body_bytes = 8192;
  config.limits.max_items = 3;
  config.rate = central::RateLimit{0.001, 30};
  test::LiveCentral central(config);

  for (const json& c : cases()) {
    const std::string name = c.at("name");
    INFO("case: " << name);
    if (c.contains("publish")) publish_for_case(central, c.at("publish"));
    httplib::Result res = send_case(central, c);
    if (c.value("repeat_until_status", false)) {
      for (int i = 0; i < 100 && res && res->status != c.at("status"); ++i) {
        REQUIRE(res->status < 300);
        res = send_case(central, c);
      }
    }
    REQUIRE(res);
    INFO("body: " << res->body);
    CHECK(res->status == c.at("status").get<int>());
    for (const auto& header : c.value("headers", json::array())) {
      CHECK(res->has_header(header.get<std::string>().c_str()));
    }
    if (!c.contains("response")) {  // e.g. 304 Not Modified: no body at all
      CHECK(res->body.empty());
      continue;
    }
    CHECK(res->get_header_value("Content-Type") == "application/json");
    const json expected = json::parse(read_text(kApiFixtures + c.at("response").get<std::string>()));
    const json actual = json::parse(res->body, nullptr, false);
    REQUIRE_FALSE(actual.is_discarded());
    const auto ignore = c.value("ignore", std::set<std::string>{});
    std::string why;
    CHECK(same_shape(expected, actual, ignore, "$", why));
    if (!why.empty()) FAIL_CHECK(why);
    if (c.contains("rows")) CHECK(central.rows() == c.at("rows").get<std::int64_t>());
  }
}

TEST_CASE("API.md quotes every example file verbatim", "[api][docs]") {
  const std::string doc = read_text(FK_CENTRAL_API_MD);
  std::set<std::string> files;
  for (const json& c : cases()) {
    if (c.contains("request")) files.insert(c.at("request"));
    if (c.contains("publish")) files.insert(c.at("publish").at("file"));
    if (c.contains("response")) files.insert(c.at("response"));
  }
  for (const std::string& file : files) {
    INFO(file << " is not quoted in sync/central/API.md");
    CHECK(doc.find(trimmed(read_text(kApiFixtures + file))) != std::string::npos);
  }
}
