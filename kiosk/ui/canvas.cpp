#include "kiosk/ui/canvas.hpp"

#include <cstdio>

#include "kiosk/i18n/languages.hpp"

namespace fk::ui {
namespace {

// Translations are checked for matching placeholders (fk-translations-check), so the arguments fit.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
std::string printf_ints(const char* pattern, int a, int b) {
  char buf[512];
  std::snprintf(buf, sizeof buf, pattern, a, b);
  return buf;
}
#pragma GCC diagnostic pop

}  // namespace

void set_language(Canvas& canvas, const i18n::Catalogs& catalogs, const std::string& language) {
  canvas.catalog = &catalogs.get(language);
  canvas.rtl = canvas.mirror = i18n::is_rtl(language);
}

std::string Canvas::format(const char* msgid, int a) const {
  return printf_ints(tr(msgid), a, 0);
}
std::string Canvas::format(const char* msgid, int a, int b) const {
  return printf_ints(tr(msgid), a, b);
}

std::string Canvas::format(const PluralMessage& m, long n, int a) const {
  return printf_ints(catalog ? catalog->plural(m.singular, m.plural, n) : (n == 1 ? m.singular : m.plural), a,
                     0);
}
std::string Canvas::format(const PluralMessage& m, long n, int a, int b) const {
  return printf_ints(catalog ? catalog->plural(m.singular, m.plural, n) : (n == 1 ? m.singular : m.plural), a,
                     b);
}

}  // namespace fk::ui
