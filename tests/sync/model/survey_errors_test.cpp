// Survey files that must be rejected: each mistake names file, line, column and a reason, every mistake in a
// file is reported, and no input makes the parser throw or crash.
#include <catch2/catch.hpp>
#include <random>
#include <string>

#include "sync/model/survey_parser.hpp"

using namespace fk::model;

namespace {

const std::string kBad = std::string(FK_FIXTURES) + "/surveys/bad/";

// Loads a bad fixture and checks that it failed, with every error naming the file.
SurveyErrors load_errors(const std::string& name) {
  const std::string path = kBad + name;
  auto result = load_survey_file(path);
  REQUIRE_FALSE(result.ok());
  REQUIRE_FALSE(result.error().empty());
  for (const auto& e : result.error()) {
    INFO(e.to_string());
    CHECK(e.file == path);
  }
  return result.error();
}

// The fixture's first error is at line:column and says `reason` (among other words).
void expect_error(const std::string& name, int line, int column, const std::string& reason) {
  const SurveyErrors errors = load_errors(name);
  INFO(errors.front().to_string());
  CHECK(errors.front().line == line);
  CHECK(errors.front().column == column);
  CHECK_THAT(errors.front().reason, Catch::Contains(reason));
}

// The same for a survey given inline: its only error is on `line` and says `reason`.
void expect_inline_error(const std::string& toml, int line, const std::string& reason) {
  const auto result = parse_survey(toml, "inline.toml");
  REQUIRE_FALSE(result.ok());
  for (const auto& e : result.error()) UNSCOPED_INFO(e.to_string());
  REQUIRE(result.error().size() == 1);
  CHECK(result.error()[0].file == "inline.toml");
  CHECK(result.error()[0].line == line);
  CHECK_THAT(result.error()[0].reason, Catch::Contains(reason));
}

// A valid head that inline cases append questions to (3 lines; the first question starts on line 4).
const std::string kHead = "id = \"s\"\nversion = 1\ntitle = \"T\"\n";

}  // namespace

TEST_CASE("an unknown top-level key is named", "[survey][errors]") {
  expect_error("unknown_top_key.toml", 5, 1, "unknown key \"colour\" at top level");
}

TEST_CASE("an unknown question key is named with its question", "[survey][errors]") {
  expect_error("unknown_question_key.toml", 15, 1, "unknown key \"colour\" in question \"overall\"");
}

TEST_CASE("a duplicate question id points at the second and names the first", "[survey][errors]") {
  expect_error("duplicate_question_id.toml", 12, 6, "duplicate question id \"overall\" (first at line 7)");
}

TEST_CASE("a condition on a later question is dangling", "[survey][errors]") {
  expect_error("dangling_later.toml", 10, 24, "dangling condition");
  expect_error("dangling_later.toml", 10, 24, "comes later (line 13)");
}

TEST_CASE("a condition on a missing question is dangling", "[survey][errors]") {
  expect_error("dangling_missing.toml", 15, 24, "dangling condition");
  expect_error("dangling_missing.toml", 15, 24, "\"overal\", which does not exist");
}

TEST_CASE("a condition's form must suit the kind of its question", "[survey][errors]") {
  expect_error("condition_form_mismatch.toml", 15, 33,
               "\"at_least\" does not apply to yes_no question \"thank\"");
  CHECK(load_errors("condition_form_mismatch.toml").size() == 1);
}

TEST_CASE("a free-text question cannot be a condition", "[survey][errors]") {
  expect_error("condition_on_free_text.toml", 15, 24, "cannot refer to free_text question \"note\"");
}

TEST_CASE("any_of names only choices of its question", "[survey][errors]") {
  expect_error("unknown_any_of_choice.toml", 19, 54, "\"permits\" in \"any_of\"");
}

TEST_CASE("a rating bound outside 1..5 is rejected", "[survey][errors]") {
  expect_error("at_most_out_of_range.toml", 15, 45,
               "\"at_most\" in show_if of question \"improve\" must be 1..5, not 7");
}

TEST_CASE("max_length must be 1..2000", "[survey][errors]") {
  expect_error("max_length_zero.toml", 10, 14, "\"max_length\" in question \"note\" must be 1..2000, not 0");
  expect_error("max_length_too_big.toml", 10, 14, "must be 1..2000, not 5000");
}

TEST_CASE("a rating needs exactly five labels", "[survey][errors]") {
  expect_error("rating_four_labels.toml", 10, 10, "must have exactly 5 entries, not 4");
}

TEST_CASE("choices are not allowed on a rating", "[survey][errors]") {
  expect_error("choices_on_rating.toml", 10, 1, "\"choices\" is not allowed in rating question \"overall\"");
}

TEST_CASE("a duplicate choice id points at the second and names the first", "[survey][errors]") {
  expect_error("duplicate_choice_id.toml", 13, 10,
               "duplicate choice id \"report\" in question \"topic\" (first at line 11)");
}

TEST_CASE("a missing title is reported at the top of the file", "[survey][errors]") {
  expect_error("missing_title.toml", 1, 1, "missing required key \"title\"");
}

TEST_CASE("a contact question needs its consent text", "[survey][errors]") {
  expect_error("contact_without_consent.toml", 6, 1,
               "missing required key \"consent_text\" in question \"reach_me\"");
}

TEST_CASE("a value of the wrong type is reported at the value", "[survey][errors]") {
  expect_error("version_wrong_type.toml", 3, 11, "\"version\" must be an integer, not a string");
}

TEST_CASE("a TOML syntax error carries toml++'s position", "[survey][errors]") {
  expect_error("syntax_error.toml", 4, 15, "TOML syntax error");
}

TEST_CASE("an empty file is one error", "[survey][errors]") {
  expect_error("empty.toml", 1, 1, "the file is empty");
  CHECK(load_errors("empty.toml").size() == 1);
}

TEST_CASE("texts may use only declared languages and must include the default one", "[survey][errors]") {
  const SurveyErrors errors = load_errors("undeclared_language.toml");
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].line == 6);
  CHECK_THAT(errors[0].reason, Catch::Contains("language \"fr\" in \"title\" is not listed in languages"));
  CHECK(errors[1].line == 11);
  CHECK_THAT(errors[1].reason, Catch::Contains("has no \"en\" text (the default language)"));
}

TEST_CASE("every enabled language must have every text, named with file and line", "[survey][errors]") {
  const SurveyErrors errors = load_errors("missing_language.toml");
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].line == 10);
  CHECK_THAT(errors[0].reason, Catch::Contains("\"text\" in question \"q\" has no text in \"vi\""));
  CHECK(errors[1].line == 13);
  CHECK_THAT(errors[1].reason, Catch::Contains("has no text in \"es\", \"vi\""));
}

TEST_CASE("every mistake in a file is reported, in line order", "[survey][errors]") {
  const SurveyErrors errors = load_errors("multiple_errors.toml");
  const std::vector<std::pair<int, std::string>> expected{
      {2, "\"id\" must be 1..64 characters"},
      {3, "\"version\" must be at least 1, not 0"},
      {8, "must be one of rating, yes_no"},
      {14, "\"text\" in question \"note\" must not be empty"},
      {15, "must be 1..2000, not 5000"},
      {16, "dangling condition"},
      {22, "unknown key \"shape\" in question \"later\""},
  };
  REQUIRE(errors.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO(errors[i].to_string());
    CHECK(errors[i].line == expected[i].first);
    CHECK_THAT(errors[i].reason, Catch::Contains(expected[i].second));
  }
}

TEST_CASE("strict checks on inline surveys", "[survey][errors]") {
  // kHead is lines 1-3; q(...) puts "[[question]]" on the next line and its id on the line after.
  const auto q = [](const std::string& id, const std::string& body) {
    return "[[question]]\nid = \"" + id + "\"\n" + body;
  };
  const std::string yes_no_a = q("a", "kind = \"yes_no\"\ntext = \"?\"\n");  // lines 4-7
  const std::string rating_a = q("a", "kind = \"rating\"\ntext = \"?\"\n");  // lines 4-7
  struct Case {
    const char* what;
    std::string toml;
    int line;
    const char* reason;
  };
  const std::vector<Case> cases{
      {"a float where an integer belongs",
       "id = \"s\"\nversion = 1.0\ntitle = \"T\"\n" + q("q", "kind = \"yes_no\"\ntext = \"?\"\n"), 2,
       "must be an integer, not a float"},
      {"question must be an array of tables", kHead + "question = 5\n", 4,
       "\"question\" must be an array, not an integer"},
      {"no questions", kHead + "question = []\n", 4, "at least one question"},
      {"a question that is not a table", kHead + "question = [1]\n", 4, "question 1 must be a table"},
      {"an unknown kind", kHead + q("q", "kind = \"slider\"\ntext = \"?\"\n"), 6, "not \"slider\""},
      {"a missing kind", kHead + q("q", "text = \"?\"\n"), 4,
       "missing required key \"kind\" in question \"q\""},
      {"an id with capitals", kHead + q("Q", "kind = \"yes_no\"\ntext = \"?\"\n"), 5,
       "must be 1..64 characters"},
      {"an id that is too long", kHead + q(std::string(65, 'a'), "kind = \"yes_no\"\ntext = \"?\"\n"), 5,
       "must be 1..64"},
      {"a pillar on yes/no", kHead + q("q", "kind = \"yes_no\"\ntext = \"?\"\npillar = \"overall\"\n"), 8,
       "\"pillar\" is not allowed in yes_no question"},
      {"thanks_note on an employee question",
       kHead + q("q", "kind = \"employee\"\ntext = \"?\"\nthanks_note = true\n"), 8,
       "\"thanks_note\" is not allowed in employee question"},
      {"thanks_note that is not true or false",
       kHead + q("q", "kind = \"free_text\"\ntext = \"?\"\nthanks_note = \"yes\"\n"), 8,
       "\"thanks_note\" in question \"q\" must be true or false, not a string"},
      {"an unknown pillar", kHead + q("q", "kind = \"rating\"\ntext = \"?\"\npillar = \"empathise\"\n"), 8,
       "not \"empathise\""},
      {"max_length on a rating", kHead + q("q", "kind = \"rating\"\ntext = \"?\"\nmax_length = 5\n"), 8,
       "\"max_length\" is not allowed in rating"},
      {"consent_text on free text",
       kHead + q("q", "kind = \"free_text\"\ntext = \"?\"\nconsent_text = \"ok\"\n"), 8,
       "\"consent_text\" is not allowed"},
      {"a choice question without choices", kHead + q("q", "kind = \"single_choice\"\ntext = \"?\"\n"), 4,
       "missing required key \"choices\""},
      {"one choice",
       kHead + q("q", "kind = \"single_choice\"\ntext = \"?\"\nchoices = [{ id = \"a\", text = \"A\" }]\n"),
       8, "must have 2..12 entries, not 1"},
      {"an unknown choice key",
       kHead + q("q",
                 "kind = \"single_choice\"\ntext = \"?\"\nchoices = [{ id = \"a\", text = \"A\" },\n"
                 "  { id = \"b\", text = \"B\", icon = \"x\" }]\n"),
       9, "unknown key \"icon\" in choice \"b\" of question \"q\""},
      {"a label of the wrong type",
       kHead + q("q", "kind = \"rating\"\ntext = \"?\"\nlabels = [\"1\", \"2\", 3, \"4\", \"5\"]\n"), 8,
       "labels[3] in question \"q\" must be a string or a table of languages, not an integer"},
      {"an unknown show_if key",
       kHead + yes_no_a +
           q("b",
             "kind = \"yes_no\"\ntext = \"?\"\nshow_if = { question = \"a\", equals = \"yes\", when = 1 }\n"),
       12, "unknown key \"when\" in show_if of question \"b\""},
      {"equals must be a string",
       kHead + yes_no_a +
           q("b", "kind = \"yes_no\"\ntext = \"?\"\nshow_if = { question = \"a\", equals = true }\n"),
       12, "\"equals\" in show_if of question \"b\" must be a string, not a boolean"},
      {"equals must be yes or no",
       kHead + yes_no_a +
           q("b", "kind = \"yes_no\"\ntext = \"?\"\nshow_if = { question = \"a\", equals = \"si\" }\n"),
       12, "must be \"yes\" or \"no\", not \"si\""},
      {"a condition without its form",
       kHead + rating_a + q("b", "kind = \"yes_no\"\ntext = \"?\"\nshow_if = { question = \"a\" }\n"), 12,
       "needs at_least and/or at_most"},
      {"a condition that is never met",
       kHead + rating_a +
           q("b",
             "kind = \"yes_no\"\ntext = \"?\"\nshow_if = { question = \"a\", at_least = 4, at_most = 2 }\n"),
       12, "is greater than \"at_most\""},
      {"a condition on its own question",
       kHead + q("q", "kind = \"yes_no\"\ntext = \"?\"\nshow_if = { question = \"q\", equals = \"yes\" }\n"),
       8, "refers to its own question"},
      {"languages without the default",
       "id = \"s\"\nversion = 1\nlanguages = [\"es\"]\ntitle = \"T\"\n" +
           q("q", "kind = \"yes_no\"\ntext = \"?\"\n"),
       3, "must include the default language \"en\""},
      {"a blank text", kHead + q("q", "kind = \"yes_no\"\ntext = \"  \"\n"), 7, "must not be empty"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    expect_inline_error(c.toml, c.line, c.reason);
  }
}

TEST_CASE("a survey has at most kMaxQuestions questions", "[survey][errors]") {
  std::string toml = kHead;
  for (int i = 0; i <= kMaxQuestions; ++i)
    toml += "[[question]]\nid = \"q" + std::to_string(i) + "\"\nkind = \"yes_no\"\ntext = \"?\"\n";
  expect_inline_error(toml, 4, "too many questions: 51 (at most 50)");
}

TEST_CASE("a file that cannot be read is one error at line 0", "[survey][errors]") {
  const std::string missing = kBad + "no_such_file.toml";
  const auto result = load_survey_file(missing);
  REQUIRE_FALSE(result.ok());
  REQUIRE(result.error().size() == 1);
  CHECK(result.error()[0].file == missing);
  CHECK(result.error()[0].line == 0);
  CHECK(result.error()[0].reason == "cannot read file: No such file or directory");
  CHECK(result.error()[0].to_string() == missing + ": cannot read file: No such file or directory");

  const auto directory = load_survey_file(kBad);
  REQUIRE_FALSE(directory.ok());
  CHECK_THAT(directory.error()[0].reason, Catch::StartsWith("cannot read file: "));
}

TEST_CASE("an oversized survey is rejected unparsed", "[survey][errors]") {
  const std::string huge = "# " + std::string(kMaxSurveyFileBytes, 'x') + "\n";
  const auto result = parse_survey(huge, "huge.toml");
  REQUIRE_FALSE(result.ok());
  REQUIRE(result.error().size() == 1);
  CHECK_THAT(result.error()[0].reason, Catch::Contains("larger than the limit of 1048576 bytes"));
}

TEST_CASE("SurveyError prints like a compiler message", "[survey][errors]") {
  CHECK(SurveyError{"lobby.toml", 12, 1, "unknown key \"colour\""}.to_string() ==
        "lobby.toml:12:1: unknown key \"colour\"");
  CHECK(SurveyError{"lobby.toml", 12, 0, "x"}.to_string() == "lobby.toml:12: x");
}

TEST_CASE("no input makes the parser throw or crash", "[survey][errors]") {
  auto lobby = load_survey_file(std::string(FK_ASSETS) + "/surveys/lobby.toml");
  REQUIRE(lobby.ok());
  // Every prefix of a real survey, and random byte damage to it.
  std::string text;
  {
    std::FILE* f = std::fopen((std::string(FK_ASSETS) + "/surveys/lobby.toml").c_str(), "rb");
    REQUIRE(f != nullptr);
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
    std::fclose(f);
  }
  const auto check = [](const std::string& input) {
    const auto result = parse_survey(input, "fuzz.toml");
    if (!result.ok()) {
      REQUIRE_FALSE(result.error().empty());
      for (const auto& e : result.error()) REQUIRE_FALSE(e.reason.empty());
    }
  };
  for (std::size_t n = 0; n <= text.size(); n += 7) check(text.substr(0, n));
  std::mt19937 rng(20261122);
  for (int round = 0; round < 500; ++round) {
    std::string damaged = text;
    for (int k = 0; k < 4; ++k) damaged[rng() % damaged.size()] = static_cast<char>(rng() % 256);
    check(damaged);
  }
  check(std::string(100000, '['));
  check("a = " + std::string(100000, '[') + std::string(100000, ']'));
  check(std::string("id = \"x\0y\"\n", 11));
  check(kHead + "[[question]]\nid = \"q\"\nkind = \"yes_no\"\ntext = { en = { en = \"deep\" } }\n");
}
