// fk-translations-check DIR: the translation coverage check (po_check.hpp) of DIR/messages.pot and
// DIR/<tag>.po for every language the kiosk speaks, against the messages the code uses. The build and CTest
// run it; it prints the report and exits 1 when there is an error.
#include <iostream>
#include <string>
#include <vector>

#include "kiosk/i18n/languages.hpp"
#include "kiosk/i18n/po_check.hpp"
#include "kiosk/ui/messages.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fk-translations-check TRANSLATIONS_DIR\n";
    return 2;
  }
  fk::i18n::CodeMessages code;
  for (const char* msgid : fk::ui::all_messages()) code.singular.emplace_back(msgid);
  for (const fk::ui::PluralMessage& m : fk::ui::all_plural_messages())
    code.plurals.push_back({m.singular, m.plural});
  std::vector<std::string> languages;
  for (const fk::i18n::Language& l : fk::i18n::supported_languages()) {
    if (l.tag != "en") languages.emplace_back(l.tag);  // English is the msgids themselves
  }

  const fk::i18n::TranslationReport report = fk::i18n::check_translations(argv[1], code, languages);
  std::cout << fk::i18n::format_report(report) << std::flush;
  return report.ok() ? 0 : 1;
}
