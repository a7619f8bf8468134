#include "kiosk/run_kiosk.hpp"

#include <cstdio>
#include <ctime>
#include <future>
#include <memory>
#include <optional>

#include "kiosk/app.hpp"
#include "kiosk/cli.hpp"
#include "kiosk/i18n/languages.hpp"
#include "kiosk/platform/event_loop.hpp"
#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/glyphs.hpp"
#include "sync/store/sqlite_response_store.hpp"

namespace fk::kiosk {
namespace {

void log_line(const std::string& message) {
  char stamp[32];
  const std::time_t t = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&t, &utc);
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
  std::fprintf(stderr, "%s feedback-kiosk: %s\n", stamp, message.c_str());
}

}  // namespace

int run_kiosk(const KioskConfig& config, std::string_view embedded_survey) {
  // A store that cannot open leaves the kiosk up, saying "temporarily unavailable"; the log says why.
  std::unique_ptr<store::SqliteResponseStore> store;
  if (auto dir = ensure_data_dir(config.data_dir); !dir) {
    log_line(dir.error().message);
  } else if (auto opened = store::SqliteResponseStore::open(config.store_path()); !opened) {
    log_line(opened.error().message);
  } else {
    store = std::move(opened.value());
    log_line("storing responses in " + config.store_path());
  }

  SurveySource surveys(config.survey, config.data_dir, embedded_survey, log_line);
  const auto first_survey = surveys.initial();
  // Every language's catalog is loaded now, so a resident's language switch costs nothing.
  const i18n::Catalogs catalogs =
      i18n::Catalogs::load(config.catalog_dir.empty() ? i18n::embedded_catalogs()
                                                      : i18n::catalogs_in_directory(config.catalog_dir),
                           i18n::supported_tags(), log_line);

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
    log_line(window.error().message);
    return 1;
  }
  platform::Window& w = **window;

  // The uploader's thread publishes snapshots and wakes this loop; it never touches UI state.
  std::unique_ptr<uploader::Uploader> uploader;
  if (store && config.enrolled()) {
    uploader = std::make_unique<uploader::Uploader>(*store, uploader_config(config), w.waker());
    uploader->start();
    log_line("uploading to " + config.central_url);
  } else if (store) {
    log_line("not enrolled: responses stay on this kiosk (feedback-kiosk enroll --central URL --token T)");
  }

  const ui::Theme theme = ui::Theme::for_display(w.size());
  std::shared_ptr<const ui::FontFiles> font_files;  // looked up and mapped once, reused by every rebuild
  // Never exits: a failure is handed back, and the loop stops cleanly (no frame is drawn on a cleared atlas).
  auto reload_fonts = [&](const model::SurveyDefinition& survey,
                          const std::string& typed) -> Expected<ui::Fonts> {
    Expected<ui::Fonts> fonts = Error{"not built"};
    const bool first_build = prebuilt.valid();
    if (first_build) fonts = prebuilt.get();
    if (!first_build || !fonts || fonts->scale != theme.scale || &survey != first_survey.get() ||
        !typed.empty()) {
      fonts = ui::load_fonts(theme.scale, texts_for(survey, typed), font_files, atlas.get());
    }
    if (!fonts) return fonts;
    if (first_build) {
      for (const std::string& warning : fonts->warnings) log_line(warning);
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
  auto first_fonts = reload_fonts(*first_survey, {});
  if (!first_fonts) {
    log_line("stopping: no font to draw with: " + first_fonts.error().message);
    shut_down();
    return 1;
  }
  App app(config, store.get(), uploader.get(), surveys, first_survey, catalogs, theme,
          std::move(first_fonts.value()), reload_fonts, Automation::from_environment(), log_line, w.waker());

  std::optional<Error> failed;  // the app cannot go on (no font to draw with): the loop ends, exit code 1
  platform::LoopHandlers handlers;
  handlers.tick = [&](auto now) {
    if (auto ticked = app.tick(now); !ticked && !failed) failed = ticked.error();
  };
  handlers.next_wakeup = [&](auto now) { return app.next_wakeup(now); };
  handlers.draw = [&](auto now, auto touched) { return app.draw(now, w.size(), touched); };
  handlers.screenshot = [&] { return app.screenshot(); };
  handlers.should_quit = [&] { return failed.has_value() || app.wants_exit(); };
  const int code = platform::run_event_loop(w, handlers);
  if (failed) log_line("stopping: " + failed->message);
  shut_down();
  return failed ? 1 : code;
}

}  // namespace fk::kiosk
