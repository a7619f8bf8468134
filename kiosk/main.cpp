// feedback-kiosk: the touchscreen app and its operator subcommands. Wiring only.
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
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
  std::string data_dir, survey, check_file, central_url, token;
  bool windowed = false, once = false, enroll_pin = false;
  auto* config_opt = cli.add_option("--config", config_path, "kiosk.toml (default: " + config_path + ")");
  cli.add_option("--data-dir", data_dir, "where responses are stored (overrides the config)");
  cli.add_option("--survey", survey, "survey file to run (default: the embedded lobby survey)");
  cli.add_flag("--windowed", windowed, "run in a window instead of fullscreen");

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
  enroll->add_option("--token", token, "the token `feedback-central kiosk add` printed")->required();
  enroll->add_flag("--pin", enroll_pin,
                   "also set the staff PIN (read from standard input, as admin set-pin)");
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

  if (*status) return fk::kiosk::run_status(*config, kDefaultSurveyToml, std::cout, std::cerr);
  const bool terminal = isatty(STDIN_FILENO) == 1;
  if (*set_pin) return fk::kiosk::run_set_pin(*config, std::cin, terminal, std::cout, std::cerr);
  if (*enroll) {
    const int enrolled = fk::kiosk::run_enroll(*config, fk::kiosk::enrollment_path(config_path), central_url,
                                               token, std::cout, std::cerr);
    if (enrolled != 0 || !enroll_pin) return enrolled;
    return fk::kiosk::run_set_pin(*config, std::cin, terminal, std::cout, std::cerr);
  }
  if (*sync) return fk::kiosk::run_sync_once(*config, std::cout, std::cerr);
  return fk::kiosk::run_kiosk(*config, kDefaultSurveyToml);
}
