// The operator's subcommands of feedback-kiosk: `status` and `survey check FILE`.
#pragma once

#include <iosfwd>
#include <string>

#include "kiosk/kiosk_config.hpp"

namespace fk::kiosk {

// Prints the data directory, the active survey and the responses by status. Returns the exit code.
int run_status(const KioskConfig& config, std::string_view embedded_survey, std::ostream& out, std::ostream& err);
// Validates a survey file; prints "ok" with a summary, or every error as file:line:column: reason.
int run_survey_check(const std::string& file, std::ostream& out, std::ostream& err);

}  // namespace fk::kiosk
