// The translation coverage check behind `feedback-kiosk translations check`, the build's check and a CTest
// test: the template holds every message the code uses, every language's PO file translates every entry of
// the template, and printf placeholders match between source and translation. PO files are read with
// GNU gettext's own parser (libgettextpo), so a syntax error is reported with its file and line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fk::i18n {

struct PoProblem {
  std::string file;  // path as given
  int line = 0;      // 0 when the problem concerns the whole file
  std::string message;
  bool error = true;  // false: a warning (reported, does not fail the check)
};

// The messages the code uses (English msgids), singular and with plural forms.
struct CodeMessages {
  std::vector<std::string> singular;
  struct Plural {
    std::string singular, plural;
  };
  std::vector<Plural> plurals;
};

struct LanguageSummary {
  std::string language;
  int translated = 0;   // entries with a usable translation
  int total = 0;        // entries in the template
  int drafts = 0;       // entries whose translator comment marks them as drafts awaiting native review
  bool checked = true;  // false: the file is missing or does not parse, so nothing was counted
};

struct TranslationReport {
  std::vector<PoProblem> problems;
  std::vector<LanguageSummary> languages;
  bool ok() const;  // no problem is an error
};

// Checks `dir`/messages.pot against `code` and each `dir`/<language>.po against the template.
TranslationReport check_translations(const std::string& dir, const CodeMessages& code,
                                     const std::vector<std::string>& languages);

// "file:line: message" lines, then one summary line per language.
std::string format_report(const TranslationReport& report);

// The arguments a printf format string takes, as the check compares them.
struct PrintfArguments {
  std::vector<std::string> directives;  // as written, in text order ("%d", "%5.2f", "%2$s"); no "%%"
  std::vector<std::string> types;  // one per argument, by position ("int", "long unsigned", "double", …)
  std::string error;               // not empty: `text` is not a valid format string
};
PrintfArguments scan_printf(std::string_view text);

}  // namespace fk::i18n
