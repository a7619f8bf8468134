// The translation check behind fk-translations-check (the build's translations_check target and the
// translations.* CTest tests). A developer's tool: the kiosk binary does not link it, nor libgettextpo.
//
// GNU gettext's own library (libgettextpo) does what msgfmt --check does: it parses the PO files (a syntax
// error is reported with its file and line), and po_file_check_all compares the printf directives of every
// translation with its msgid (the template's c-format flag counts even where a translator dropped it), checks
// the header's Plural-Forms and that every plural entry has nplurals forms. This file adds only what gettext
// does not check: the template holds exactly the messages the code uses, every language translates every
// entry of the template (no empty msgstr, no fuzzy entry: msgfmt drops both, so the kiosk would show
// English), and the header is not fuzzy and names the file's language and UTF-8.
#pragma once

#include <string>
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

// "file:line: error: message" lines, then one summary line per language.
std::string format_report(const TranslationReport& report);

}  // namespace fk::i18n
