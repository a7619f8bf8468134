// The translation check on small catalogs under tests/fixtures/translations/<case>/, each broken in one way:
// every problem must come out with the file and line a translator needs to fix it. The fixtures' headers have
// every field gettext's header check wants (in their first string, so the entries kept their lines), so
// that only the case's own problem is reported.
#include "tools/translations_check/po_check.hpp"

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

TEST_CASE("po check: mismatched placeholders are gettext's error, at the translation's line") {
  const TranslationReport r = check("placeholder_mismatch");
  INFO(fk::i18n::format_report(r));
  const std::string po = fixture("placeholder_mismatch") + "/es.po";
  const PoProblem* question = find(r, po, 17, "\"Question %d of %d\"");
  REQUIRE(question != nullptr);
  CHECK(question->error);
  CHECK(question->message ==
        "es: \"Question %d of %d\": number of format specifications in 'msgid' and 'msgstr' does not match");
  // Every plural form carries the number, compared with msgid_plural: gettext names the form's line.
  const PoProblem* seconds = find(r, po, 22, "\"%d second\"");
  REQUIRE(seconds != nullptr);
  CHECK(
      seconds->message ==
      "es: \"%d second\": number of format specifications in 'msgid_plural' and 'msgstr[1]' does not match");
  CHECK(count_errors(r) == 2);
  CHECK(r.languages[0].translated == 1);
  CHECK(fk::i18n::format_report(r).find(po + ":17: error: es: \"Question %d of %d\": ") != std::string::npos);
}

TEST_CASE(
    "po check: the template's c-format flag holds where a translation dropped it, and types are compared") {
  const TranslationReport r = check("format_flag_dropped");
  INFO(fk::i18n::format_report(r));
  CHECK(
      find(r, fixture("format_flag_dropped") + "/es.po", 15,
           "es: \"Question %d of %d\": format specifications in 'msgid' and 'msgstr' for argument 1 are not "
           "the same") != nullptr);
  CHECK(count_errors(r) == 1);
  CHECK(r.languages[0].translated == 2);
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
  // gettext's error names the header, then the entry.
  CHECK(find(r, fixture("wrong_nplurals") + "/es.po", 2,
             "es: nplurals = 3 (line 20: \"%d second\": but some messages have only 2 plural forms)") !=
        nullptr);
  CHECK(count_errors(r) == 1);
  CHECK(r.languages[0].translated == 2);
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
  CHECK(find(r, po, 2, "es: invalid nplurals value") !=
        nullptr);  // gettext's, as are the plural expression's
  CHECK(find(r, po, 2, "es: invalid plural expression") != nullptr);
  CHECK(count_errors(r) == 4);
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
