// feedback-kiosk: the touchscreen app and its operator subcommands. Wiring only.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <ctime>
#include <iostream>

#include "kiosk/app.hpp"
#include "kiosk/cli.hpp"
#include "kiosk/platform/event_loop.hpp"
#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/glyphs.hpp"
#include "sync/store/sqlite_response_store.hpp"

extern const std::string_view kDefaultSurveyToml;  // assets/surveys/lobby.toml, embedded at build time

namespace {

void log_line(const std::string& message) {
  char stamp[32];
  const std::time_t t = std::time(nullptr);
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  std::fprintf(stderr, "%s feedback-kiosk: %s\n", stamp, message.c_str());
}

int run_kiosk(fk::kiosk::KioskConfig config) {
  using namespace fk;
  // A store that cannot open leaves the kiosk up, saying "temporarily unavailable"; the log says why.
  std::unique_ptr<store::SqliteResponseStore> store;
  if (auto dir = kiosk::ensure_data_dir(config.data_dir); !dir) {
    log_line(dir.error().message);
  } else if (auto opened = store::SqliteResponseStore::open(config.store_path()); !opened) {
    log_line(opened.error().message);
  } else {
    store = std::move(opened.value());
    log_line("storing responses in " + config.store_path());
  }

  auto window = platform::Window::open({config.fullscreen, config.window_width, config.window_height});
  if (!window) {
    log_line(window.error().message);
    return 1;
  }
  platform::Window& w = **window;
  kiosk::SurveySource surveys(config.survey, config.data_dir, kDefaultSurveyToml, log_line);
  const ui::Theme theme = ui::Theme::for_display(w.size());
  auto reload_fonts = [&](const model::SurveyDefinition& survey) {
    auto fonts = ui::load_fonts(theme.scale, ui::atlas_texts(survey));
    if (!fonts) {
      log_line(fonts.error().message);
      std::exit(1);  // no font: nothing legible to show
    }
    w.upload_fonts();
    return fonts.value();
  };
  kiosk::App app(config, store.get(), surveys, theme, reload_fonts, kiosk::Automation::from_environment(), log_line);

  platform::LoopHandlers handlers;
  handlers.tick = [&](auto now) { app.tick(now); };
  handlers.next_wakeup = [&](auto now) { return app.next_wakeup(now); };
  handlers.draw = [&](auto now) { return app.draw(now, w.size()); };
  handlers.screenshot = [&] { return app.screenshot(); };
  return platform::run_event_loop(w, handlers);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Community feedback kiosk"};
  cli.set_version_flag("--version", FK_VERSION);
  std::string config_path = fk::kiosk::default_config_path();
  std::string data_dir, survey;
  bool windowed = false;
  auto* config_opt = cli.add_option("--config", config_path, "kiosk.toml (default: " + config_path + ")");
  cli.add_option("--data-dir", data_dir, "where responses are stored (overrides the config)");
  cli.add_option("--survey", survey, "survey file to run (default: the embedded lobby survey)");
  cli.add_flag("--windowed", windowed, "run in a window instead of fullscreen");

  auto* status = cli.add_subcommand("status", "show the data directory, the active survey and response counts");
  status->fallthrough();  // `status --data-dir DIR` as well as `--data-dir DIR status`
  auto* survey_cmd = cli.add_subcommand("survey", "survey files");
  auto* check = survey_cmd->add_subcommand("check", "validate a survey file (errors name file, line and reason)");
  std::string check_file;
  check->add_option("FILE", check_file)->required();
  survey_cmd->require_subcommand(1);
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
  return run_kiosk(std::move(config.value()));
}
