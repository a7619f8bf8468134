#include "kiosk/i18n/translations_check.hpp"

#include <vector>

#include "kiosk/i18n/languages.hpp"
#include "kiosk/i18n/po_check.hpp"
#include "kiosk/ui/messages.hpp"

namespace fk::i18n {

int run_translations_check(const std::string& dir, std::ostream& out) {
  CodeMessages code;
  for (const char* msgid : ui::all_messages()) code.singular.emplace_back(msgid);
  for (const ui::PluralMessage& m : ui::all_plural_messages()) code.plurals.push_back({m.singular, m.plural});
  std::vector<std::string> languages;
  for (const Language& l : supported_languages()) {
    if (l.tag != "en") languages.emplace_back(l.tag);  // English is the msgids themselves
  }
  const TranslationReport report = check_translations(dir, code, languages);
  out << format_report(report) << std::flush;
  return report.ok() ? 0 : 1;
}

}  // namespace fk::i18n
