// The lobby survey's every screen in each of the seven languages, rendered for real (SDL2 + OpenGL3 on the
// offscreen driver) and kept as PNG files for a person to look at: test-artifacts/screens/<language>/.
// Each frame must draw every character with a glyph, and the right-to-left language must mirror.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>

#include "kiosk/flow/visit_flow.hpp"
#include "kiosk/i18n/languages.hpp"
#include "kiosk/platform/window.hpp"
#include "kiosk/ui/glyphs.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "sync/model/survey_parser.hpp"
#include "sync/store/memory_response_store.hpp"

using namespace fk;

namespace {

// What a resident of each language might type: a note (with digits, and a Latin name in the Arabic one, to
// show mixed directions) and the employee's name or badge.
struct Typed {
  std::string note, employee;
};
const std::map<std::string, Typed> kTyped = {
    {"en", {"Officer Diaz listened and explained every step. Thank you!", "Diaz 4521"}},
    {"es", {"La oficial Díaz me escuchó y me explicó cada paso. ¡Gracias!", "Díaz 4521"}},
    {"vi", {"Cảm ơn chị Nguyễn đã lắng nghe và giải thích rõ ràng.", "Nguyễn Thị Hoà"}},
    {"zh", {"xie xie Officer Li, ta hen nai xin (pinyin)", "Li 2208"}},
    {"ar", {"شكرا جزيلا للضابط Smith على مساعدته، رقم البلاغ 2024", "الضابط Smith 4521"}},
    {"fr", {"Merci à l'agente Lefèvre pour son écoute et ses explications.", "Lefèvre 3310"}},
    {"ko", {"친절하게 설명해 주셔서 정말 감사합니다", "김민준 1187"}},
};

class Gallery {
 public:
  Gallery() {
    auto window = platform::Window::open({false, 1920, 1080, "gallery"});
    REQUIRE(window.ok());
    window_ = std::move(window.value());
    auto survey = model::load_survey_file(FK_ASSETS "/surveys/lobby.toml");
    REQUIRE(survey.ok());
    survey_ = std::make_shared<const model::SurveyDefinition>(std::move(survey.value()));
    catalogs_ = i18n::Catalogs::load(i18n::embedded_catalogs(), i18n::supported_tags(),
                                     [](const std::string& m) { FAIL(m); });
    std::string typed;
    for (const auto& [language, t] : kTyped) typed += t.note + t.employee;
    theme_ = ui::Theme::for_display(window_->size());
    auto fonts = ui::load_fonts(theme_.scale, ui::atlas_texts(*survey_, catalogs_, typed));
    REQUIRE(fonts.ok());
    CHECK(fonts->warnings.empty());
    fonts_ = fonts.value();
    window_->upload_fonts();
  }

  const std::shared_ptr<const model::SurveyDefinition>& survey() const { return survey_; }

  // Draws the flow's screen once (twice: ImGui settles layout on the second) and keeps it as `name`.png.
  ui::FrameRecord shoot(const flow::VisitFlow& flow, flow::TimePoint now, const std::string& language,
                        const std::string& name) {
    const std::string dir = std::string(FK_ARTIFACTS) + "/screens/" + language;
    std::filesystem::create_directories(dir);
    ui::ScreenView view = ui::make_view(flow, now);
    for (int pass = 0; pass < 2; ++pass) {
      window_->begin_frame();
      record_ = ui::FrameRecord{};
      ui::Canvas canvas{theme_, fonts_, window_->size(), record_};
      ui::set_language(canvas, catalogs_, view.language);
      ui::draw_screen(canvas, view, state_);
      REQUIRE(window_->end_frame(pass == 1 ? std::optional<std::string>(dir + "/" + name + ".png")
                                           : std::nullopt)
                  .ok());
    }
    window_->flush_screenshots();
    INFO(language << " " << name);
    std::string missing;
    for (char32_t c : record_.missing_glyphs) missing += " U+" + std::to_string(static_cast<unsigned>(c));
    CHECK(missing.empty());
    CHECK(std::filesystem::file_size(dir + "/" + name + ".png") > 1000);
    return record_;
  }

 private:
  std::unique_ptr<platform::Window> window_;
  std::shared_ptr<const model::SurveyDefinition> survey_;
  i18n::Catalogs catalogs_;
  ui::Theme theme_;
  ui::Fonts fonts_;
  ui::FrameRecord record_;
  ui::UiState state_;
};

flow::FlowConfig gallery_config() {
  flow::FlowConfig config;
  config.tap_guard = flow::Millis{0};
  return config;
}

}  // namespace

TEST_CASE("every screen of the lobby survey in every language, kept as screenshots") {
  Gallery gallery;
  for (const i18n::Language& language : i18n::supported_languages()) {
    const std::string tag(language.tag);
    store::MemoryResponseStore store;
    flow::FlowDeps deps;
    deps.store = &store;
    flow::VisitFlow flow(gallery.survey(), gallery_config(), deps);
    flow::TimePoint now{};
    flow.apply(flow::ChooseLanguage{tag}, now);
    const ui::FrameRecord attract = gallery.shoot(flow, now, tag, "01-attract");
    // The language row offers all seven, each in its own name; the chosen one is marked.
    for (const i18n::Language& l : i18n::supported_languages()) {
      const ui::TouchTarget* button = attract.find("lang-" + std::string(l.tag));
      REQUIRE(button != nullptr);
      CHECK(button->label == l.native_name);
      CHECK(button->selected == (l.tag == language.tag));
    }

    flow.apply(flow::StartVisit{tag}, now);
    const ui::FrameRecord rating = gallery.shoot(flow, now, tag, "02-rating-default-labels");
    // Right to left: the scale and the footer mirror (worst face and Back on the right).
    const bool rtl = language.rtl;
    CHECK((rating.find("rating-1")->min.x > rating.find("rating-5")->min.x) == rtl);
    CHECK((rating.find("back")->min.x > rating.find("next")->min.x) == rtl);
    flow.apply(flow::SetAnswer{2, true}, now);
    gallery.shoot(flow, now, tag, "03-rating-survey-labels");
    flow.apply(flow::SetAnswer{4, true}, now);
    flow.apply(flow::SetAnswer{3, true}, now);
    flow.apply(flow::SetAnswer{5, true}, now);
    flow.apply(flow::SetAnswer{std::vector<std::string>{"wait", "explain"}, false}, now);
    gallery.shoot(flow, now, tag, "04-multiple-choice");
    flow.apply(flow::Next{}, now);
    gallery.shoot(flow, now, tag, "05-yes-no");
    flow.apply(flow::SetAnswer{true, true}, now);
    gallery.shoot(flow, now, tag, "06-note-empty");
    flow.apply(flow::SetAnswer{kTyped.at(tag).note, false}, now);
    gallery.shoot(flow, now, tag, "07-note-typed");
    flow.apply(flow::Next{}, now);
    flow.apply(flow::SetAnswer{kTyped.at(tag).employee, false}, now);
    gallery.shoot(flow, now, tag, "08-employee");
    now += flow.config().inactivity_timeout;
    flow.tick(now);
    REQUIRE(flow.screen() == flow::Screen::StillThere);
    gallery.shoot(flow, now, tag, "09-still-there");
    flow.apply(flow::StillHere{}, now);
    flow.apply(flow::Next{}, now);
    REQUIRE(flow.screen() == flow::Screen::ThankYou);
    gallery.shoot(flow, now, tag, "10-thank-you");
    auto counts = store.counts();
    REQUIRE(counts.ok());
    CHECK(counts->total() == 1);

    // A kiosk whose store cannot be used, configured with this default language.
    flow::FlowConfig config = gallery_config();
    config.default_language = tag;
    flow::VisitFlow broken(gallery.survey(), config, flow::FlowDeps{});
    broken.apply(flow::StartVisit{}, now);
    REQUIRE(broken.screen() == flow::Screen::Unavailable);
    gallery.shoot(broken, now, tag, "11-unavailable");
  }
}
