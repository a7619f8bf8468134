// fk-translations-check DIR: the translation check (po_check.hpp) of DIR against the messages the kiosk's code
// uses and every language it speaks. The build runs it (target translations_check), and so does CTest.
#include <iostream>
#include <string>
#include <vector>

#include "kiosk/i18n/languages.hpp"
#include "kiosk/ui/messages.hpp"
#include "tools/translations_check/po_check.hpp"

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
