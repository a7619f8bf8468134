// `feedback-kiosk translations check DIR` and the build's fk-translations-check: the coverage check of DIR
// against the messages this build's code uses and every language it speaks.
#pragma once

#include <ostream>
#include <string>

namespace fk::i18n {

// Prints the report (problems as file:line: error/warning, then a line per language); 0 when there is no error,
// 1 otherwise.
int run_translations_check(const std::string& dir, std::ostream& out);

}  // namespace fk::i18n
