#include "kiosk/run_kiosk.hpp"

#include <future>
#include <memory>
#include <optional>

#include "kiosk/app.hpp"
#include "kiosk/cli.hpp"
#include "kiosk/i18n/languages.hpp"
#include "kiosk/log_line.hpp"
#include "kiosk/platform/display.hpp"
#include "kiosk/platform/event_loop.hpp"
#include "kiosk/platform/service_notifier.hpp"
#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/glyphs.hpp"
#include "sync/store/sqlite_response_store.hpp"

namespace fk::kiosk {
namespace {

void log_error(const std::string& message) {
  log_line(LogLevel::Error, message);
}

}  // namespace

int run_kiosk(const KioskConfig& config, std::string_view embedded_survey) {
  // Before anything else: a kiosk that nobody can see must not look healthy.
  const auto display = platform::probe_display();
  if (!display) {
    log_error(display.error().message);
    return 1;
  }
  log_info("display: SDL video driver '" + display->driver + "', " + std::to_string(display->width) + "x" +
           std::to_string(display->height));
  if (platform::is_headless_driver(display->driver) && !config.allow_headless) {
    log_error("no display: SDL chose the '" + display->driver +
              "' driver; set WAYLAND_DISPLAY/DISPLAY (under cage they are set), or "
              "FEEDBACK_KIOSK_ALLOW_HEADLESS=1 for tests");
    platform::stop_display();
    return kExitNoDisplay;
  }
  // A store that cannot open leaves the kiosk up, saying "temporarily unavailable"; the log says why.
  std::unique_ptr<store::SqliteResponseStore> store;
  if (auto dir = ensure_data_dir(config.data_dir); !dir) {
    log_error(dir.error().message);
  } else if (auto opened = store::SqliteResponseStore::open(config.store_path()); !opened) {
    log_error(opened.error().message);
  } else {
    store = std::move(opened.value());
    log_info("storing responses in " + config.store_path());
  }

  SurveySource surveys(config.survey, config.data_dir, embedded_survey, log_info);
  const auto first_survey = surveys.initial();
  // Every language's catalog is loaded now, so a resident's language switch costs nothing.
  const i18n::Catalogs catalogs =
      i18n::Catalogs::load(config.catalog_dir.empty() ? i18n::embedded_catalogs()
                                                      : i18n::catalogs_in_directory(config.catalog_dir),
                           i18n::supported_tags(), log_info);

  // The font atlas (fontconfig, FreeType, every script) is built on a second core while SDL and OpenGL start:
  // the two take similar time, and only the upload needs the window. It is built for the display size
  // expected (the configured window, or 1080p fullscreen) and built again if the display turns out otherwise.
  auto atlas = std::make_unique<ImFontAtlas>();
  const ImVec2 expected_size = config.fullscreen ? ImVec2(1920, 1080)
                                                 : ImVec2(static_cast<float>(config.window_width),
                                                          static_cast<float>(config.window_height));
  const float expected_scale = ui::Theme::for_display(expected_size).scale;
  // The department's [scope] texts are drawn too: their characters go into the atlas like the survey's.
  auto texts_for = [&](const model::SurveyDefinition& survey, const std::string& typed) {
    ui::AtlasTexts texts = ui::atlas_texts(survey, catalogs, typed);
    for (const auto* by_language :
         {&config.scope.help, &config.scope.complaints, &config.scope.note_readers}) {
      for (const auto& [tag, text] : *by_language) texts.texts.push_back(text);
    }
    return texts;
  };
  auto prebuilt = std::async(std::launch::async, [&] {
    return ui::load_fonts(expected_scale, texts_for(*first_survey, {}), nullptr, atlas.get());
  });

  auto window = platform::Window::open(
      {config.fullscreen, config.window_width, config.window_height, "Community feedback", atlas.get()});
  if (!window) {
    log_error(window.error().message);
    return 1;
  }
  platform::Window& w = **window;

  // The uploader's thread publishes snapshots and wakes this loop; it never touches UI state.
  std::unique_ptr<uploader::Uploader> uploader;
  if (store && config.enrolled()) {
    uploader = std::make_unique<uploader::Uploader>(*store, uploader_config(config), w.waker());
    uploader->start();
    log_info("uploading to " + config.central_url);
  } else if (store) {
    log_line(LogLevel::Warning,
             "not enrolled: responses stay on this kiosk (feedback-kiosk enroll --central URL < token-file)");
  }

  // The App lays out again (and rebuilds the fonts) when the drawable's size changes later.
  const ui::Theme theme = ui::Theme::for_display(w.size());
  std::shared_ptr<const ui::FontFiles> font_files;  // looked up and mapped once, reused by every rebuild
  // Never exits: a failure is handed back, and the loop stops cleanly (no frame is drawn on a cleared atlas).
  auto reload_fonts = [&](const model::SurveyDefinition& survey, const std::string& typed,
                          float scale) -> Expected<ui::Fonts> {
    Expected<ui::Fonts> fonts = Error{"not built"};
    const bool first_build = prebuilt.valid();
    if (first_build) fonts = prebuilt.get();
    if (!first_build || !fonts || fonts->scale != scale || &survey != first_survey.get() || !typed.empty()) {
      fonts = ui::load_fonts(scale, texts_for(survey, typed), font_files, atlas.get());
    }
    if (!fonts) return fonts;
    if (first_build) {
      for (const std::string& warning : fonts->warnings) log_line(LogLevel::Warning, warning);
    }
    font_files = fonts->files;
    w.upload_fonts();
    return fonts;
  };
  // Stops what the loop leaves running, in order: the uploader (a request in flight is cancelled and stays
  // pending), then the store.
  auto shut_down = [&] {
    if (uploader) uploader->stop();
    uploader.reset();
    store.reset();
  };
  auto first_fonts = reload_fonts(*first_survey, {}, theme.scale);
  if (!first_fonts) {
    log_error("stopping: no font to draw with: " + first_fonts.error().message);
    shut_down();
    return 1;
  }
  App app(config, store.get(), uploader.get(), surveys, first_survey, catalogs, theme,
          std::move(first_fonts.value()), reload_fonts, Automation::from_environment(), log_info, w.waker());

  std::optional<Error> failed;  // the app cannot go on (no font to draw with): the loop ends, exit code 1
  platform::LoopHandlers handlers;
  handlers.tick = [&](auto now) {
    app.resize(w.size());
    if (auto ticked = app.tick(now); !ticked && !failed) failed = ticked.error();
  };
  handlers.next_wakeup = [&](auto now) { return app.next_wakeup(now); };
  handlers.draw = [&](auto now, auto touched) { return app.draw(now, w.size(), touched); };
  handlers.screenshot = [&] { return app.screenshot(); };
  handlers.should_quit = [&] { return failed.has_value() || app.wants_exit(); };
  // systemd: READY=1 once the first frame is shown, then watchdog pings from this loop (none outside systemd).
  platform::ServiceNotifier notifier =
      platform::ServiceNotifier::from_environment(std::chrono::steady_clock::now());
  if (const auto interval = notifier.watchdog()) {
    log_info("systemd watchdog: pinging every " +
             std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(*interval / 2).count()) +
             " ms");
  }
  handlers.alive = [&](auto now, bool frame_shown) { notifier.alive(now, frame_shown); };
  handlers.alive_due = [&] { return notifier.alive_due(); };
  const int code = platform::run_event_loop(w, handlers);
  if (failed) log_error("stopping: " + failed->message);
  shut_down();
  if (failed) return 1;
  if (app.wants_exit()) {
    log_info("staff left kiosk mode: exiting with " + std::to_string(kExitLeftKioskMode) +
             " (the unit does not restart it; start it again or reboot)");
    return kExitLeftKioskMode;
  }
  return code;
}

}  // namespace fk::kiosk
