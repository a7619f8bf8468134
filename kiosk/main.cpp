// feedback-kiosk: the touchscreen app and its operator subcommands. Wiring only.
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "kiosk/cli.hpp"
#include "kiosk/run_kiosk.hpp"

extern const std::string_view kDefaultSurveyToml;  // assets/surveys/lobby.toml, embedded at build time

int main(int argc, char** argv) {
  // Everything the kiosk writes (outbox, enrolment, staff file, surveys, screenshots) is for it alone.
  umask(077);
  CLI::App cli{"Community feedback kiosk"};
  cli.set_version_flag("--version", FK_VERSION);
  std::string config_path = fk::kiosk::default_config_path();
  std::string data_dir, survey, check_file, central_url, token_on_argv, token_file;
  bool windowed = false, once = false, enroll_pin = false, allow_headless = false;
  auto* config_opt = cli.add_option("--config", config_path, "kiosk.toml (default: " + config_path + ")");
  cli.add_option("--data-dir", data_dir, "where responses are stored (overrides the config)");
  cli.add_option("--survey", survey, "survey file to run (default: the embedded lobby survey)");
  cli.add_flag("--windowed", windowed, "run in a window instead of fullscreen");
  cli.add_flag("--allow-headless", allow_headless,
               "run on SDL's offscreen or dummy driver (tests; also FEEDBACK_KIOSK_ALLOW_HEADLESS=1)");

  // Subcommands take the options above after their name too (`status --data-dir DIR`).
  auto* status =
      cli.add_subcommand("status", "data directory, active survey, responses by status, quarantine");
  auto* survey_cmd = cli.add_subcommand("survey", "survey files");
  auto* check =
      survey_cmd->add_subcommand("check", "validate a survey file (errors name file, line and reason)");
  check->add_option("FILE", check_file)->required();
  survey_cmd->require_subcommand(1);
  auto* enroll = cli.add_subcommand("enroll", "store the central endpoint and this kiosk's token");
  enroll->add_option("--central", central_url, "the centre's URL, e.g. https://central.example.org")
      ->required();
  enroll->add_option(
      "--token-file", token_file,
      "a file whose first line is the token `feedback-central kiosk add` printed (default: the "
      "first line of standard input)");
  // Refused, with a pointer to the two ways that keep the secret out of `ps` and shell history.
  auto* token_opt = enroll->add_option("--token", token_on_argv)->group("");
  enroll->add_flag("--pin", enroll_pin,
                   "also set the staff PIN (read from standard input after the token, as admin set-pin)");
  auto* admin = cli.add_subcommand("admin", "kiosk administration");
  auto* set_pin = admin->add_subcommand(
      "set-pin",
      "set the staff PIN (4-8 digits, read twice from standard input; stored as an Argon2id hash)");
  admin->require_subcommand(1);
  auto* sync = cli.add_subcommand("sync", "upload pending responses now");
  sync->add_flag("--once", once, "send everything pending, then exit (0: all delivered)")->required();
  for (auto* sub : {status, enroll, sync, admin, set_pin}) sub->fallthrough();
  CLI11_PARSE(cli, argc, argv);

  if (*check) return fk::kiosk::run_survey_check(check_file, std::cout, std::cerr);

  auto config = fk::kiosk::load_config(config_path, config_opt->count() > 0);
  if (!config) {
    std::cerr << "feedback-kiosk: " << config.error().message << "\n";
    return 2;
  }
  if (!data_dir.empty()) config->data_dir = data_dir;
  if (!survey.empty()) config->survey = survey;
  if (windowed) config->fullscreen = false;
  const char* headless_env = std::getenv("FEEDBACK_KIOSK_ALLOW_HEADLESS");
  config->allow_headless = allow_headless || (headless_env != nullptr && std::strcmp(headless_env, "1") == 0);
  // The enrolment in the data directory (where `enroll --data-dir` writes it) wins over the config's.
  if (auto enrolled = fk::kiosk::read_data_dir_enrollment(*config); !enrolled) {
    std::cerr << "feedback-kiosk: " << enrolled.error().message << "\n";
    return 2;
  }

  if (*status) return fk::kiosk::run_status(*config, kDefaultSurveyToml, std::cout, std::cerr);
  const bool terminal = isatty(STDIN_FILENO) == 1;
  if (*set_pin) return fk::kiosk::run_set_pin(*config, std::cin, terminal, std::cout, std::cerr);
  if (*enroll) {
    if (token_opt->count() > 0) {
      std::cerr
          << "feedback-kiosk: enroll --token is refused: a token on the command line is seen by every "
             "user (ps, shell history). Give it on standard input (feedback-kiosk enroll --central URL < "
             "token-file) or with --token-file FILE\n";
      return 2;
    }
    auto token = fk::kiosk::read_enroll_token(token_file, std::cin, terminal, std::cerr);
    if (!token) {
      std::cerr << "feedback-kiosk: " << token.error().message << "; nothing was saved\n";
      return 2;
    }
    // With --data-dir (the installed unit's /var/lib/feedback-kiosk) the kiosk's own user reads it there.
    const std::string enrollment_file = data_dir.empty() ? fk::kiosk::enrollment_path(config_path)
                                                         : fk::kiosk::data_dir_enrollment_path(data_dir);
    const int enrolled =
        fk::kiosk::run_enroll(*config, enrollment_file, central_url, *token, std::cout, std::cerr);
    if (enrolled != 0 || !enroll_pin) return enrolled;
    return fk::kiosk::run_set_pin(*config, std::cin, terminal, std::cout, std::cerr);
  }
  if (*sync) return fk::kiosk::run_sync_once(*config, std::cout, std::cerr);
  return fk::kiosk::run_kiosk(*config, kDefaultSurveyToml);
}
