// The CSV writer: RFC 4180 quoting, the formula-injection guard, the BOM, number formats, and a read-back
// with Python's csv module (strict mode) as an independent reader. python3 must be on PATH: without it the
// test fails.
#include "sync/central/csv.hpp"

#include <catch2/catch.hpp>
#include <clocale>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

using namespace fk::central;
using Rows = std::vector<std::vector<std::string>>;

namespace {

// Writes `bytes` to a temporary file and returns what Python's csv.reader makes of it.
Rows python_reads(const std::string& bytes) {
  if (std::system("command -v python3 >/dev/null 2>&1") != 0)
    FAIL(
        "python3 is required: this test reads the CSV back with Python's csv module, and python3 is not on "
        "PATH");
  const auto path = std::filesystem::temp_directory_path() /
                    ("fk-aggregates-" + std::to_string(std::random_device{}()) + ".csv");
  {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
  }
  const std::string command =
      "python3 -c 'import csv, json, sys; "
      "rows = list(csv.reader(open(sys.argv[1], newline=\"\", encoding=\"utf-8-sig\"), strict=True)); "
      "print(json.dumps(rows))' '" +
      path.string() + "'";
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, got);
  const int status = pclose(pipe);
  std::filesystem::remove(path);
  INFO("python3 said: " << output);
  REQUIRE(status == 0);
  return nlohmann::json::parse(output).get<Rows>();
}

ResponseFact fact(const std::string& site, std::vector<std::pair<std::string, int>> ratings,
                  bool thanks = false) {
  ResponseFact f;
  f.site = site;
  f.survey_id = "lobby";
  f.language = "en";
  f.day = "2026-11-16";
  f.thanks = thanks;
  for (auto& [q, v] : ratings)
    f.ratings.push_back({q, q == "overall" ? fk::model::Pillar::Overall : fk::model::Pillar::Empathize, v});
  return f;
}

const std::string kVietnamese = "Phòng Cảnh sát, Quận 1";  // with a comma
const std::string kArabic = "قسم الشرطة المركزي";
const std::string kFormula = "=HYPERLINK(\"http://evil.example\",\"x\")";

}  // namespace

TEST_CASE("csv_row quotes as RFC 4180 says and ends rows with CRLF", "[csv]") {
  CHECK(csv_row({"plain", "a,b", "say \"hi\"", "line1\nline2", "cr\rhere", ""}) ==
        "plain,\"a,b\",\"say \"\"hi\"\"\",\"line1\nline2\",\"cr\rhere\",\r\n");
  CHECK(csv_row({}) == "\r\n");
  CHECK(csv_row({kArabic, "Cảm ơn"}) == kArabic + ",Cảm ơn\r\n");  // UTF-8 passes through untouched
  CHECK(csv_row({kVietnamese}) == "\"" + kVietnamese + "\"\r\n");
}

TEST_CASE("fields that a spreadsheet would run as a formula are prefixed with '", "[csv]") {
  CHECK(csv_field("=SUM(A1:A9)") == "'=SUM(A1:A9)");
  CHECK(csv_field("+1") == "'+1");
  CHECK(csv_field("-2") == "'-2");
  CHECK(csv_field("@cmd") == "'@cmd");
  CHECK(csv_field("\tx") == "'\tx");
  CHECK(csv_field("=1,2") == "\"'=1,2\"");
  CHECK(csv_field(kFormula) == "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"");
  CHECK(csv_field("a=b") == "a=b");
  CHECK(csv_field("3.63") == "3.63");
}

TEST_CASE("tricky fields survive a round trip through Python's csv reader", "[csv]") {
  const std::vector<std::string> tricky{
      "a,b", "say \"hi\"", "line1\nline2", "cr\r\nlf", kArabic, "Cảm ơn", "=SUM(A1:A9)", "", "plain"};
  const Rows rows = python_reads(csv_row(tricky) + csv_row({"second", "row"}));
  REQUIRE(rows.size() == 2);
  std::vector<std::string> expected = tricky;
  expected[6] = "'=SUM(A1:A9)";
  CHECK(rows[0] == expected);
  CHECK(rows[1] == std::vector<std::string>{"second", "row"});
}

TEST_CASE("numbers: fixed decimals with '.', rounded half up, whatever the locale", "[csv]") {
  CHECK(fixed_decimal(3.625, 2) == "3.63");       // 29/8: an exact tie
  CHECK(fixed_decimal(107.0 / 40, 2) == "2.68");  // 2.675, stored a hair low as a double
  CHECK(fixed_decimal(13.0 / 3, 2) == "4.33");
  CHECK(fixed_decimal(2.0 / 3, 3) == "0.667");
  CHECK(fixed_decimal(0.0625, 3) == "0.063");
  CHECK(fixed_decimal(1.0, 3) == "1.000");
  CHECK(fixed_decimal(0.0, 2) == "0.00");
  CHECK(fixed_decimal(5.0, 2) == "5.00");
  if (std::setlocale(LC_ALL, "de_DE.UTF-8") != nullptr || std::setlocale(LC_ALL, "fr_FR.UTF-8") != nullptr) {
    CHECK(fixed_decimal(3.625, 2) == "3.63");
    std::setlocale(LC_ALL, "C");
  }
}

// Sites: Vietnamese (4 responses), Arabic (3), a formula-shaped name (1). k = 3, by site.
// The formula site is below k; pairing it with the Arabic 3 would pool 4 = 1 + 3 (its lower bounds), pinning
// it to 1, so the Vietnamese 4 is taken as the complementary cell. Cells sort by bytes: '=' < 'P' < Arabic.
//   overall: Vietnamese 5,4,4,3  Arabic 5,5,2  formula 1   → total 29/8 = 3.625 → "3.63", top two 5/8
//   listened: Vietnamese 5,5,4 (one partial)  Arabic 4,4,4 → total 26/6 = 4.33, top two 1.000
TEST_CASE("aggregates_csv: header, cells, total, suppressed cells blank, BOM, read back by Python", "[csv]") {
  std::vector<ResponseFact> facts{fact(kVietnamese, {{"overall", 5}, {"listened", 5}}, true),
                                  fact(kVietnamese, {{"overall", 4}, {"listened", 5}}),
                                  fact(kVietnamese, {{"overall", 4}, {"listened", 4}}),
                                  fact(kVietnamese, {{"overall", 3}}),
                                  fact(kArabic, {{"overall", 5}, {"listened", 4}}),
                                  fact(kArabic, {{"overall", 5}, {"listened", 4}}),
                                  fact(kArabic, {{"overall", 2}, {"listened", 4}}),
                                  fact(kFormula, {{"overall", 1}})};
  AggregateQuery q;
  q.group_by = {Dimension::Site};
  q.k = 3;
  const AggregateResult result = aggregate(facts, q);

  const std::vector<std::string> header{"site",
                                        "responses",
                                        "suppressed",
                                        "suppression",
                                        "thanks",
                                        "q.listened.n",
                                        "q.listened.mean",
                                        "q.listened.top_two_share",
                                        "q.listened.dist_1",
                                        "q.listened.dist_2",
                                        "q.listened.dist_3",
                                        "q.listened.dist_4",
                                        "q.listened.dist_5",
                                        "q.overall.n",
                                        "q.overall.mean",
                                        "q.overall.top_two_share",
                                        "q.overall.dist_1",
                                        "q.overall.dist_2",
                                        "q.overall.dist_3",
                                        "q.overall.dist_4",
                                        "q.overall.dist_5",
                                        "pillar.overall.n",
                                        "pillar.overall.mean",
                                        "pillar.overall.top_two_share",
                                        "pillar.empathize.n",
                                        "pillar.empathize.mean",
                                        "pillar.empathize.top_two_share"};
  auto hidden = [](std::string key, std::string reason) {
    std::vector<std::string> row{std::move(key), "", "true", std::move(reason), ""};
    row.resize(27);
    return row;
  };
  const Rows expected{
      header,
      hidden("'" + kFormula, "below_k"),
      hidden(kVietnamese, "complementary"),
      {kArabic, "3",     "false", "",  "0", "3", "4.00", "1.000", "0",    "0",     "0", "3",    "0",    "3",
       "4.00",  "0.667", "0",     "1", "0", "0", "2",    "3",     "4.00", "0.667", "3", "4.00", "1.000"},
      {"total", "8",     "false", "",  "1", "6", "4.33", "1.000", "0",    "0",     "0", "4",    "2",    "8",
       "3.63",  "0.625", "1",     "1", "1", "2", "3",    "8",     "3.63", "0.625", "6", "4.33", "1.000"}};

  const std::string plain = aggregates_csv(result, false);
  const std::string with_bom = aggregates_csv(result, true);
  CHECK(with_bom == "\xEF\xBB\xBF" + plain);
  CHECK(plain.rfind("site,responses,suppressed,suppression,thanks,q.listened.n,", 0) == 0);
  CHECK(plain.substr(plain.size() - 2) == "\r\n");
  CHECK(python_reads(plain) == expected);
  CHECK(python_reads(with_bom) == expected);  // utf-8-sig drops the BOM; the first header is still "site"
}

TEST_CASE("aggregates_csv without grouping: one scope column, and a suppressed total is blank", "[csv]") {
  std::vector<ResponseFact> facts{fact("A", {{"overall", 5}}), fact("A", {{"overall", 4}})};
  AggregateQuery q;
  const Rows rows = python_reads(aggregates_csv(aggregate(facts, q), true));
  REQUIRE(rows.size() == 2);
  CHECK(rows[0] == std::vector<std::string>{"scope", "responses", "suppressed", "suppression", "thanks"});
  CHECK(rows[1] == std::vector<std::string>{"total", "", "true", "below_k", ""});
}
