// Analysts and supervisors over real HTTP: who may read what (the role matrix), aggregates of responses sent
// by kiosks against counts worked out by hand, the thank-you feed, CSV that a standard reader parses, and a
// 400 naming the parameter for every bad request.
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "central_test_support.hpp"
#include "http_test_support.hpp"
#include "sync/central/response_facts.hpp"
#include "wire_samples.hpp"

using namespace fk;
using nlohmann::json;
using test::LiveCentral;

namespace {

// A lobby response completed on `day` with an overall rating, a "listened" (empathize) rating and optionally
// a thank-you note naming an employee.
model::Response visit(const std::string& day, int overall, int listened, const std::string& note = {},
                      const std::string& employee = {}) {
  model::Response r = test::sample_response();
  r.completed_at = day + "T10:00:00Z";
  r.started_at = day + "T09:59:00Z";
  r.answers = {{"overall", overall}, {"listened", listened}, {"thank", !note.empty()}};
  if (!note.empty()) r.answers.push_back({"thanks_note", note});
  if (!employee.empty()) r.answers.push_back({"employee", employee});
  return r;
}

void send(LiveCentral& central, const std::string& token, const std::vector<model::Response>& responses) {
  std::vector<model::BatchItem> batch;
  for (const auto& r : responses) batch.push_back(test::item_for(r));
  auto client = central.client(token);
  const model::Receipt receipt =
      test::expect_receipt(test::post_json(*client, test::kResponsesPath, model::encode_batch(batch)));
  for (const auto& result : receipt.results) REQUIRE(result.status == model::ItemStatus::Created);
}

json get_json(LiveCentral& central, const std::string& token, const std::string& path) {
  auto res = central.client(token)->Get(path.c_str());
  REQUIRE(res);
  INFO(path << " → " << res->status << " " << res->body);
  REQUIRE(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "application/json");
  return json::parse(res->body);
}

// Central Division (lobby-1): 4 visits in week 2026-W45, 3 in W46; Harbour Division (lobby-2): 2 in W45.
// (Days in the past: a kiosk's date later than the day after arrival is not believed.)
void send_fixture(LiveCentral& central) {
  send(central, central.kiosk_token,
       {visit("2026-11-02", 5, 5, "Officer Diaz explained everything.", "Diaz 4521"),
        visit("2026-11-03", 4, 4), visit("2026-11-04", 2, 3), visit("2026-11-05", 5, 4, "Thank you!", ""),
        visit("2026-11-09", 3, 3), visit("2026-11-10", 4, 5), visit("2026-11-11", 1, 2)});
  send(central, central.other_kiosk_token,
       {visit("2026-11-04", 5, 5, "Kind and patient.", "Lee"), visit("2026-11-05", 4, 3)});
}

const json* question(const json& cell, const std::string& id) {
  for (const json& q : cell["questions"]) {
    if (q["question"] == id) return &q;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("every read endpoint checks the role: 401 without a valid token, 403 for the wrong one") {
  LiveCentral central(test::config_with_lobby(FK_LOBBY_SURVEY));
  struct Endpoint {
    const char* path;
    bool analyst, supervisor, admin;
  };
  const Endpoint endpoints[] = {{"/api/v1/aggregates", true, true, true},
                                {"/api/v1/thanks", false, true, true},
                                {"/api/v1/kiosks", false, false, true}};
  for (const Endpoint& e : endpoints) {
    INFO(e.path);
    test::expect_error(central.client()->Get(e.path), 401, "unauthorized");
    test::expect_error(central.client("not-a-token")->Get(e.path), 401, "unauthorized");
    // A kiosk token only ingests.
    test::expect_error(central.client(central.kiosk_token)->Get(e.path), 403, "forbidden");
    const std::pair<const std::string*, bool> users[] = {{&central.analyst_token, e.analyst},
                                                         {&central.supervisor_token, e.supervisor},
                                                         {&central.admin_token, e.admin}};
    for (const auto& [token, allowed] : users) {
      auto res = central.client(*token)->Get(e.path);
      REQUIRE(res);
      if (allowed) {
        CHECK(res->status == 200);
      } else {
        test::expect_error(res, 403, "forbidden");
      }
    }
  }
  // And user tokens cannot ingest.
  test::expect_error(test::post_json(*central.client(central.admin_token), test::kResponsesPath,
                                     model::encode_batch({test::sample_item()})),
                     403, "forbidden");
  CHECK(central.rows() == 0);
}

TEST_CASE("aggregates by site and week match counts worked out by hand, with small cells suppressed") {
  LiveCentral central(test::config_with_lobby(FK_LOBBY_SURVEY));
  send_fixture(central);

  const json all = get_json(central, central.analyst_token, "/api/v1/aggregates");
  CHECK(all["k"] == 3);
  // 9 responses; overall ratings 5,4,2,5,3,4,1,5,4 → mean 33/9; 4s and 5s: 6 of 9.
  REQUIRE_FALSE(all["total"]["suppressed"].get<bool>());
  CHECK(all["total"]["responses"] == 9);
  CHECK(all["total"]["thanks"] == 3);
  const json* overall = question(all["total"], "overall");
  REQUIRE(overall != nullptr);
  CHECK((*overall)["n"] == 9);
  CHECK((*overall)["mean"].get<double>() == Approx(33.0 / 9));
  CHECK((*overall)["distribution"] == json::array({1, 1, 1, 3, 3}));
  CHECK((*overall)["top_two_share"].get<double>() == Approx(6.0 / 9));
  CHECK((*overall)["pillar"] == "overall");
  CHECK((*question(all["total"], "listened"))["pillar"] == "empathize");  // from the lobby survey

  // By week (k = 3): W45 = Central 5,4,2,5 + Harbour 5,4 → n 6, mean 25/6, top two 5/6;
  // W46 = Central 3,4,1 → n 3, mean 8/3, top two 1/3.
  const json weeks = get_json(central, central.analyst_token, "/api/v1/aggregates?group_by=week");
  REQUIRE(weeks["cells"].size() == 2);
  const json& w45 = weeks["cells"][0];
  const json& w46 = weeks["cells"][1];
  CHECK(w45["key"]["week"] == "2026-W45");
  CHECK(w45["responses"] == 6);
  CHECK((*question(w45, "overall"))["mean"].get<double>() == Approx(25.0 / 6));
  CHECK((*question(w45, "overall"))["top_two_share"].get<double>() == Approx(5.0 / 6));
  CHECK(w46["key"]["week"] == "2026-W46");
  CHECK(w46["responses"] == 3);
  CHECK((*question(w46, "overall"))["mean"].get<double>() == Approx(8.0 / 3));
  CHECK((*question(w46, "overall"))["top_two_share"].get<double>() == Approx(1.0 / 3));

  // By site and week: Harbour W45 holds 2 < k. Visible, its week's line (W45: Central 4, Harbour ?) and the
  // week total 6 would give it away, so Central W45 goes too; then Central's line (W45 ?, W46 3) against
  // Central's total 7 would give Central W45 away, so Central W46 goes as well. No numbers travel with them.
  const json by = get_json(central, central.analyst_token, "/api/v1/aggregates?group_by=site,week");
  CHECK(by["dimensions"] == json::array({"site", "week"}));
  std::map<std::pair<std::string, std::string>, json> cells;
  for (const json& c : by["cells"]) cells[{c["key"]["site"], c["key"]["week"]}] = c;
  REQUIRE(cells.size() == 3);
  CHECK(cells[{"Harbour Division", "2026-W45"}]["suppression"] == "below_k");
  CHECK(cells[{"Central Division", "2026-W45"}]["suppression"] == "complementary");
  CHECK(cells[{"Central Division", "2026-W46"}]["suppression"] == "complementary");
  for (const auto& [key, c] : cells) {
    CHECK(c["suppressed"].get<bool>());
    CHECK_FALSE(c.contains("responses"));
    CHECK_FALSE(c.contains("questions"));
  }
  // By site: Harbour (2) below k, and Central (7) with it, since the total 9 minus 7 would be Harbour's 2.
  const json sites = get_json(central, central.analyst_token, "/api/v1/aggregates?group_by=site");
  for (const json& c : sites["cells"]) CHECK(c["suppressed"].get<bool>());

  // Filters: one site, a date range (inclusive) and a language.
  const json central_w46 =
      get_json(central, central.analyst_token,
               "/api/v1/aggregates?site=Central%20Division&from=2026-11-09&to=2026-11-11");
  CHECK(central_w46["total"]["responses"] == 3);
  const json none = get_json(central, central.analyst_token, "/api/v1/aggregates?language=ar");
  CHECK(none["total"]["suppressed"].get<bool>());  // 0 responses: below k
}

TEST_CASE("a kiosk's event tag and misuse flag reach the aggregates: filter by event and excluded misuse") {
  LiveCentral central(test::config_with_lobby(FK_LOBBY_SURVEY));
  std::vector<model::Response> fair;
  for (int i = 0; i < 4; ++i) {
    fair.push_back(visit("2026-11-07", 5, 4));
    fair.back().event = "Harbour block party";
  }
  fair.back().misuse = true;  // a repeat seconds after the one before
  fair.back().misuse_reason = "rapid_repeat";
  std::vector<model::Response> lobby = {visit("2026-11-07", 2, 2), visit("2026-11-08", 3, 3),
                                        visit("2026-11-09", 4, 4)};
  send(central, central.kiosk_token, fair);
  send(central, central.kiosk_token, lobby);

  const json at_event =
      get_json(central, central.analyst_token, "/api/v1/aggregates?event=Harbour%20block%20party");
  CHECK(at_event["total"]["responses"] == 3);
  CHECK(at_event["excluded_misuse"] == 1);
  CHECK((*question(at_event["total"], "overall"))["mean"].get<double>() == Approx(5.0));
  const json with_misuse = get_json(central, central.analyst_token,
                                    "/api/v1/aggregates?event=Harbour%20block%20party&include_misuse=true");
  CHECK(with_misuse["total"]["responses"] == 4);
  CHECK(with_misuse["excluded_misuse"] == 0);
  const json by_event = get_json(central, central.analyst_token, "/api/v1/aggregates?group_by=event");
  REQUIRE(by_event["cells"].size() == 2);
  CHECK(by_event["cells"][0]["key"]["event"] == "");
  CHECK(by_event["cells"][0]["responses"] == 3);
  CHECK(by_event["cells"][1]["key"]["event"] == "Harbour block party");
  CHECK(by_event["cells"][1]["responses"] == 3);
  CHECK(by_event["excluded_misuse"] == 1);
}

TEST_CASE("a supervisor reads the thank-you notes with site, day and the employee named") {
  LiveCentral central(test::config_with_lobby(FK_LOBBY_SURVEY));
  send_fixture(central);
  const json all = get_json(central, central.supervisor_token, "/api/v1/thanks");
  REQUIRE(all["thanks"].size() == 3);
  // Newest day first.
  CHECK(all["thanks"][0]["day"] == "2026-11-05");
  CHECK(all["thanks"][0]["note"] == "Thank you!");
  CHECK(all["thanks"][0]["employee"] == "");
  const json harbour = get_json(central, central.supervisor_token, "/api/v1/thanks?site=Harbour%20Division");
  REQUIRE(harbour["thanks"].size() == 1);
  CHECK(harbour["thanks"][0]["note"] == "Kind and patient.");
  CHECK(harbour["thanks"][0]["employee"] == "Lee");
  CHECK(harbour["thanks"][0]["site"] == "Harbour Division");
  const json week =
      get_json(central, central.supervisor_token, "/api/v1/thanks?from=2026-11-02&to=2026-11-02");
  REQUIRE(week["thanks"].size() == 1);
  CHECK(week["thanks"][0]["employee"] == "Diaz 4521");
  // Aggregates never carry the notes' text.
  const std::string aggregates =
      central.client(central.analyst_token)->Get("/api/v1/aggregates?group_by=site")->body;
  CHECK(aggregates.find("Diaz") == std::string::npos);
  CHECK(aggregates.find("patient") == std::string::npos);
}

TEST_CASE("CSV of aggregates and thanks parses back with Python's csv reader, with a BOM on request") {
  LiveCentral central(test::config_with_lobby(FK_LOBBY_SURVEY));
  send_fixture(central);
  auto res =
      central.client(central.analyst_token)->Get("/api/v1/aggregates?group_by=site,week&format=csv&bom=1");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "text/csv; charset=utf-8");
  REQUIRE(res->body.rfind("\xEF\xBB\xBF", 0) == 0);
  test::TempDir dir("fk-csv");
  const std::string file = dir.file("aggregates.csv");
  std::ofstream(file, std::ios::binary) << res->body;
  const std::string command =
      "python3 -c \"import csv,sys; rows=list(csv.reader(open(sys.argv[1], newline='', "
      "encoding='utf-8-sig'))); print(len(rows), rows[0][0], rows[0][1], rows[-1][0])\" " +
      file;
  FILE* p = popen(command.c_str(), "r");
  REQUIRE(p != nullptr);
  char line[512] = {};
  const bool read = std::fgets(line, sizeof line, p) != nullptr;
  const int status = pclose(p);
  INFO("python3 is needed to read the CSV back: " << command);
  REQUIRE(read);
  CHECK(status == 0);
  // A header, three cells and the total.
  CHECK(std::string(line) == "5 site week total\n");
  CHECK(res->body.find("below_k") != std::string::npos);

  auto thanks = central.client(central.supervisor_token)->Get("/api/v1/thanks?format=csv");
  REQUIRE(thanks);
  CHECK(thanks->status == 200);
  CHECK(thanks->body.rfind("day,site,employee,note", 0) == 0);
  CHECK(thanks->body.find("\"Officer Diaz explained everything.\"") ==
        std::string::npos);  // no comma: unquoted
}

TEST_CASE("a bad aggregates or thanks request is a 400 naming the parameter") {
  LiveCentral central(test::config_with_lobby(FK_LOBBY_SURVEY));
  const std::pair<const char*, const char*> bad[] = {
      {"/api/v1/aggregates?group_by=colour", "group_by"},
      {"/api/v1/aggregates?from=2026-13-01", "from"},
      {"/api/v1/aggregates?from=2026-11-30&to=2026-11-01", "from"},
      {"/api/v1/aggregates?k=2", "k"},
      {"/api/v1/aggregates?shape=round", "shape"},
      {"/api/v1/aggregates?site=a&site=b", "site"},
      {"/api/v1/aggregates?format=xml", "format"},
      {"/api/v1/thanks?from=yesterday", "from"},
      {"/api/v1/thanks?from=2026-11-30&to=2026-11-01", "from"},
      {"/api/v1/thanks?limit=0", "limit"},
      {"/api/v1/thanks?employee=Diaz", "employee"},
  };
  for (const auto& [path, parameter] : bad) {
    INFO(path);
    const json error =
        test::expect_error(central.client(central.admin_token)->Get(path), 400, "bad_parameter");
    CHECK(error["error"]["message"].get<std::string>().rfind(parameter, 0) == 0);
  }
}

// A kiosk stores a visit sent with nothing answered flagged as misuse "empty" (issue 12): the centre files it
// like any other (flagged, never deleted) and no count calls it collected unless misuse is asked for.
TEST_CASE("an empty visit flagged by the kiosk is filed and left out of what was collected") {
  LiveCentral central(test::config_with_lobby(FK_LOBBY_SURVEY));
  std::vector<model::Response> day;
  for (int i = 0; i < 5; ++i) day.push_back(visit("2026-11-07", 4, 4));
  model::Response empty = visit("2026-11-07", 1, 1);
  empty.answers.clear();
  empty.misuse = true;
  empty.misuse_reason = "empty";
  day.push_back(empty);
  send(central, central.kiosk_token, day);  // every item created

  CHECK(central.rows() == 6);
  const auto filed = central.store().find_response(empty.uuid);
  REQUIRE(filed.ok());
  REQUIRE(filed->has_value());
  const auto payload = model::parse_response((*filed)->payload);
  REQUIRE(payload.ok());
  CHECK(payload->misuse);
  CHECK(payload->misuse_reason == "empty");
  CHECK(payload->answers.empty());

  const json collected = get_json(central, central.analyst_token, "/api/v1/aggregates");
  CHECK(collected["total"]["responses"] == 5);
  CHECK(collected["excluded_misuse"] == 1);
  const json all = get_json(central, central.analyst_token, "/api/v1/aggregates?include_misuse=true");
  CHECK(all["total"]["responses"] == 6);
  CHECK(all["excluded_misuse"] == 0);
}
