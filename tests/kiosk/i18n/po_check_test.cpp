// The translation coverage check on small catalogs under tests/fixtures/translations/<case>/, each broken in
// one way: every problem must come out with the file and line a translator needs to fix it.
#include "kiosk/i18n/po_check.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace {

using fk::i18n::PoProblem;
using fk::i18n::TranslationReport;

// What the fixtures' templates were extracted from.
const fk::i18n::CodeMessages kCode{{"Back", "Question %d of %d"}, {{"%d second", "%d seconds"}}};

std::string fixture(const std::string& name) {
  return std::string(FK_FIXTURES) + "/translations/" + name;
}

TranslationReport check(const std::string& name, const std::vector<std::string>& languages = {"es"}) {
  return fk::i18n::check_translations(fixture(name), kCode, languages);
}

// The problem at `file`:`line` whose message contains `text`; null when there is none.
const PoProblem* find(const TranslationReport& r, const std::string& file, int line,
                      const std::string& text) {
  const auto it = std::find_if(r.problems.begin(), r.problems.end(), [&](const PoProblem& p) {
    return p.file == file && p.line == line && p.message.find(text) != std::string::npos;
  });
  return it != r.problems.end() ? &*it : nullptr;
}

long count_errors(const TranslationReport& r) {
  return std::count_if(r.problems.begin(), r.problems.end(), [](const PoProblem& p) { return p.error; });
}

std::string last_line(const std::string& report) {
  const size_t end = report.find_last_not_of('\n');
  return report.substr(report.rfind('\n', end) + 1, end - report.rfind('\n', end));
}

}  // namespace

TEST_CASE("po check: complete catalogs pass, with drafts counted") {
  const TranslationReport r = check("good", {"es", "ko", "zh"});
  INFO(fk::i18n::format_report(r));
  CHECK(r.ok());
  CHECK(r.problems.empty());
  REQUIRE(r.languages.size() == 3);
  CHECK(r.languages[0].language == "es");
  CHECK(r.languages[0].translated == 3);
  CHECK(r.languages[0].total == 3);
  CHECK(r.languages[0].drafts == 1);
  CHECK(r.languages[1].translated == 3);  // nplurals=1, and numbered directives that swap the numbers
  CHECK(r.languages[2].translated == 3);  // "Language: zh_CN" in zh.po
  const std::string report = fk::i18n::format_report(r);
  CHECK(report.find("es: 3/3 translated, 1 draft awaiting native review\n") != std::string::npos);
  CHECK(report.find("ko: 3/3 translated\n") != std::string::npos);
  CHECK(last_line(report) == "translations: OK");
}

TEST_CASE("po check: a syntax error names the PO file and line, and the file is not checked further") {
  const TranslationReport r = check("syntax_error");
  INFO(fk::i18n::format_report(r));
  CHECK_FALSE(r.ok());
  const std::string po = fixture("syntax_error") + "/es.po";
  CHECK(find(r, po, 17, "keyword \"msgstrr\" unknown") != nullptr);
  CHECK(find(r, po, 16, "missing 'msgstr' section") != nullptr);
  // A half-read file would drown the syntax error in missing translations.
  CHECK(std::none_of(r.problems.begin(), r.problems.end(), [](const PoProblem& p) {
    return p.message.find("missing translation") != std::string::npos;
  }));
  REQUIRE(r.languages.size() == 1);
  CHECK_FALSE(r.languages[0].checked);
  const std::string report = fk::i18n::format_report(r);
  CHECK(report.find(po + ":17: error: keyword \"msgstrr\" unknown\n") != std::string::npos);
  CHECK(report.find("es: not checked") != std::string::npos);
}

TEST_CASE("po check: mismatched placeholders quote both texts at the entry's line") {
  const TranslationReport r = check("placeholder_mismatch");
  INFO(fk::i18n::format_report(r));
  const std::string po = fixture("placeholder_mismatch") + "/es.po";
  const PoProblem* question = find(r, po, 16, "placeholders differ");
  REQUIRE(question != nullptr);
  CHECK(question->error);
  CHECK(question->message ==
        "placeholders differ: \"Question %d of %d\" has %d %d, translation \"Pregunta %d\" has %d");
  // Every plural form carries the number, compared with msgid_plural.
  const PoProblem* seconds = find(r, po, 20, "placeholders differ");
  REQUIRE(seconds != nullptr);
  CHECK(seconds->message ==
        "placeholders differ: \"%d seconds\" has %d, translation msgstr[1] \"unos segundos\" has none");
  CHECK(count_errors(r) == 2);
  CHECK(r.languages[0].translated == 1);
  CHECK(fk::i18n::format_report(r).find(po + ":16: error: placeholders differ: ") != std::string::npos);
}

TEST_CASE("po check: a missing translation is an error, an entry unknown to the template a warning") {
  const TranslationReport r = check("missing_translation");
  INFO(fk::i18n::format_report(r));
  const std::string po = fixture("missing_translation") + "/es.po";
  CHECK(find(r, po, 11, "es: missing translation of \"Back\"") != nullptr);              // empty msgstr
  CHECK(find(r, po, 0, "es: missing translation of \"Question %d of %d\"") != nullptr);  // no entry at all
  const PoProblem* unknown = find(r, po, 20, "\"Forward\" is not in the template");
  REQUIRE(unknown != nullptr);
  CHECK_FALSE(unknown->error);
  CHECK(count_errors(r) == 2);
  CHECK(r.languages[0].translated == 1);
  CHECK(last_line(fk::i18n::format_report(r)) == "translations: 2 errors, 1 warning");
}

TEST_CASE("po check: an empty plural form is a missing translation") {
  const TranslationReport r = check("empty_plural");
  INFO(fk::i18n::format_report(r));
  const PoProblem* p = find(r, fixture("empty_plural") + "/es.po", 20,
                            "es: missing translation of \"%d second\" (msgstr[1] is empty)");
  REQUIRE(p != nullptr);
  CHECK(p->error);
  CHECK(count_errors(r) == 1);
  CHECK(r.languages[0].translated == 2);
}

TEST_CASE("po check: a fuzzy entry is an error, with the reason") {
  const TranslationReport r = check("fuzzy_entry");
  INFO(fk::i18n::format_report(r));
  const PoProblem* p = find(r, fixture("fuzzy_entry") + "/es.po", 12, "\"Back\"");
  REQUIRE(p != nullptr);
  CHECK(p->error);
  CHECK(p->message ==
        "es: \"Back\" is fuzzy: msgfmt drops fuzzy entries, so the kiosk would show English; review it and "
        "remove "
        "the fuzzy flag");
  CHECK(count_errors(r) == 1);
  CHECK(r.languages[0].translated == 2);
}

TEST_CASE("po check: the number of plural forms must be the header's nplurals") {
  const TranslationReport r = check("wrong_nplurals");
  INFO(fk::i18n::format_report(r));
  CHECK(find(r, fixture("wrong_nplurals") + "/es.po", 20,
             "es: \"%d second\" has 2 plural forms, but Plural-Forms says nplurals=3") != nullptr);
  CHECK(count_errors(r) == 1);
}

TEST_CASE("po check: a message the code uses must be in the template") {
  const TranslationReport r = check("template_missing_message");
  INFO(fk::i18n::format_report(r));
  const PoProblem* p = find(r, fixture("template_missing_message") + "/messages.pot", 0, "\"Back\"");
  REQUIRE(p != nullptr);
  CHECK(p->error);
  CHECK(p->message ==
        "message \"Back\" is used in the code but missing from the template: run "
        "translations/update-template.sh");
  CHECK(count_errors(r) == 1);  // es.po translates the template, which is all it can do
}

TEST_CASE("po check: the template may not keep messages, or plurals, the code no longer has") {
  const TranslationReport r = check("stale_template");
  INFO(fk::i18n::format_report(r));
  const std::string pot = fixture("stale_template") + "/messages.pot";
  CHECK(find(r, pot, 28,
             "message \"Forward\" is in the template but no longer in the code: run "
             "translations/update-template.sh") != nullptr);
  CHECK(
      find(
          r, pot, 23,
          "message \"%d second\" has the plural \"%d seconds\" in the code but the plural \"%d secs\" in the "
          "template: run translations/update-template.sh") != nullptr);
  CHECK(count_errors(r) == 2);
}

TEST_CASE("po check: a language without a PO file is an error naming the path") {
  const TranslationReport r = check("missing_po");
  INFO(fk::i18n::format_report(r));
  const std::string po = fixture("missing_po") + "/es.po";
  const PoProblem* p = find(r, po, 0, po);
  REQUIRE(p != nullptr);
  CHECK(p->error);
  CHECK_FALSE(r.languages[0].checked);
}

TEST_CASE("po check: a fuzzy header is an error") {
  const TranslationReport r = check("fuzzy_header");
  INFO(fk::i18n::format_report(r));
  CHECK(find(r, fixture("fuzzy_header") + "/es.po", 3, "es: the header is fuzzy") != nullptr);
  CHECK(count_errors(r) == 1);
  CHECK(r.languages[0].translated == 3);
}

TEST_CASE("po check: the header names the file's language, UTF-8 and a real Plural-Forms") {
  const TranslationReport r = check("bad_header");
  INFO(fk::i18n::format_report(r));
  const std::string po = fixture("bad_header") + "/es.po";
  CHECK(find(r, po, 2, "es: the header says \"Language: fr\", expected es") != nullptr);
  CHECK(find(r, po, 2, "es: the charset is CHARSET, expected UTF-8") != nullptr);
  CHECK(find(r, po, 2, "es: Plural-Forms is still the template's placeholder") != nullptr);
  CHECK(count_errors(r) == 3);
}

TEST_CASE("po placeholders: directives are compared by the arguments they take") {
  using fk::i18n::scan_printf;
  CHECK(scan_printf("Question %d of %d").directives == std::vector<std::string>{"%d", "%d"});
  CHECK(scan_printf("%2$d of %1$d").types == scan_printf("%d of %d").types);
  CHECK(scan_printf("%2$s %1$d").types == std::vector<std::string>{"int", "string"});
  CHECK(scan_printf("100%% of %5.2f").directives == std::vector<std::string>{"%5.2f"});
  CHECK(scan_printf("100%% of %5.2f").types == std::vector<std::string>{"double"});
  CHECK(scan_printf("%-8s|%+i|%x|%u").types ==
        std::vector<std::string>{"string", "int", "unsigned", "unsigned"});
  CHECK(scan_printf("%*d").types == std::vector<std::string>{"int", "int"});
  CHECK(scan_printf("%ld").types != scan_printf("%d").types);
  CHECK(scan_printf("%zu").types == std::vector<std::string>{"size unsigned"});
  CHECK(scan_printf("no placeholders").directives.empty());
  CHECK(scan_printf("%1$d and %d").error == "mixes numbered (%1$d) and unnumbered (%d) directives");
  CHECK(scan_printf("%3$d %1$d").error == "no directive takes argument 2");
  CHECK(scan_printf("%1$d %1$s").error == "argument 1 is used as int and as string");
  CHECK(scan_printf("100%").error == "incomplete directive \"%\"");
  CHECK(scan_printf("%y").error == "unknown conversion \"%y\"");
}

TEST_CASE("po check: the report reads like a compiler's, then one line per language") {
  TranslationReport r;
  r.problems = {{"translations/es.po", 42, "placeholders differ", true},
                {"translations/messages.pot", 0, "something stale", false}};
  r.languages = {{"es", 33, 33, 33, true}, {"fr", 0, 33, 0, false}, {"ko", 32, 33, 0, true}};
  CHECK(fk::i18n::format_report(r) ==
        "translations/es.po:42: error: placeholders differ\n"
        "translations/messages.pot: warning: something stale\n"
        "es: 33/33 translated, 33 drafts awaiting native review\n"
        "fr: not checked (see the errors above)\n"
        "ko: 32/33 translated\n"
        "translations: 1 error, 1 warning\n");
  r.problems.pop_back();
  r.problems[0].error = false;
  CHECK(last_line(fk::i18n::format_report(r)) == "translations: OK (1 warning)");
}
