// The operator's subcommands of feedback-kiosk: `status`, `survey check FILE`, `enroll`, `sync --once`.
#pragma once

#include <iosfwd>
#include <string>

#include "kiosk/kiosk_config.hpp"
#include "sync/uploader/uploader.hpp"

namespace fk::kiosk {

// Prints the data directory, the active survey and the responses by status. Returns the exit code.
int run_status(const KioskConfig& config, std::string_view embedded_survey, std::ostream& out,
               std::ostream& err);
// Validates a survey file; prints "ok" with a summary, or every error as file:line:column: reason.
int run_survey_check(const std::string& file, std::ostream& out, std::ostream& err);

// The uploader's settings from the kiosk's config.
uploader::UploaderConfig uploader_config(const KioskConfig& config);

// The token for `enroll`: the first line of `token_file`, or of `in` (standard input; echo off when a
// terminal) when no file is given. Never from the command line, where every user sees it (ps, history).
Expected<std::string> read_enroll_token(const std::string& token_file, std::istream& in, bool terminal,
                                        std::ostream& prompt_out);
// Checks the token with a heartbeat, then stores URL and token in `enrollment_file`. A token the centre
// refuses is not stored; an unreachable centre is stored with a warning (enrol now, connect later).
int run_enroll(const KioskConfig& config, const std::string& enrollment_file, const std::string& url,
               const std::string& token, std::ostream& out, std::ostream& err);
// `admin set-pin`: reads the new staff PIN twice from `in` (echo off when `in` is a terminal), checks it is
// 4–8 digits and both match, and stores its Argon2id hash in <data_dir>/staff.toml (which also clears the
// lockout). Anything wrong is said on `err` and nothing changes. Returns the exit code (0, or 2 on bad input,
// 1 when the file cannot be written).
int run_set_pin(const KioskConfig& config, std::istream& in, bool terminal, std::ostream& out,
                std::ostream& err);
// Sends everything pending now. Exit 0 only when all was delivered (a kiosk with no outbox yet: "nothing to
// send", its data directory created); 1 otherwise; 2 when not enrolled.
int run_sync_once(const KioskConfig& config, std::ostream& out, std::ostream& err);

}  // namespace fk::kiosk
