// The lobby survey's every screen in each of the seven languages, rendered for real (SDL2 + OpenGL3 on the
// offscreen driver) and kept as PNG files for a person to look at: test-artifacts/screens/<language>/.
// Each frame must draw every character with a glyph, and the right-to-left language must mirror.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "../ui/long_notes.hpp"
#include "support/screen_window.hpp"
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

// Every line of text drawn lies inside its box (a button's label in the button, the note in its box, a text
// block in its column), 1 px of rounding allowed.
void check_text_inside_boxes(const ui::FrameRecord& record) {
  for (const auto& r : record.text_rects) {
    INFO(record.screen << ": \"" << r.text << "\" at " << r.min.x << "," << r.min.y << " .. " << r.max.x
                       << "," << r.max.y << " in box " << r.box_min.x << "," << r.box_min.y << " .. "
                       << r.box_max.x << "," << r.box_max.y);
    CHECK(r.inside(1.0f));
  }
}

// Draws the flow's screen twice (ImGui settles layout on the second), keeps it as <language>/<name>.png and
// checks that every character had a glyph.
ui::FrameRecord shoot(test_support::ScreenWindow& screens, const flow::VisitFlow& flow, flow::TimePoint now,
                      const std::string& language, const std::string& name) {
  const std::string dir = std::string(FK_ARTIFACTS) + "/screens/" + language;
  std::filesystem::create_directories(dir);
  screens.draw(flow, now);
  const ui::FrameRecord record = screens.draw(flow, now, dir + "/" + name + ".png");
  INFO(language << " " << name);
  std::string missing;
  for (char32_t c : record.missing_glyphs) missing += " U+" + std::to_string(static_cast<unsigned>(c));
  CHECK(missing.empty());
  CHECK(std::filesystem::file_size(dir + "/" + name + ".png") > 1000);
  check_text_inside_boxes(record);
  return record;
}

// A department's [scope] help text in each language (the kiosk adds configured texts to its atlas).
const std::map<std::string, std::string> kScope = {
    {"en", "Ask Sergeant Diaz at the front desk, or call 213-555-0100."},
    {"es", "Pregunte a la sargento Díaz en la recepción o llame al 213-555-0100."},
    {"vi", "Hỏi trung sĩ Diaz tại quầy tiếp tân hoặc gọi 213-555-0100."},
    {"zh", "请向前台的迪亚兹警长询问，或致电 213-555-0100。"},
    {"ar", "اسأل الرقيب دياز في مكتب الاستقبال أو اتصل بالرقم 213-555-0100."},
    {"fr", "Demandez au sergent Diaz à l'accueil ou appelez le 213-555-0100."},
    {"ko", "안내 데스크의 디아즈 경사에게 문의하거나 213-555-0100으로 전화하세요."},
};

std::string all_typed() {
  std::string typed;
  for (const auto& [language, t] : kTyped) typed += t.note + t.employee;
  for (const auto& [language, text] : kScope) typed += text;
  for (const auto& [language, sentence] : test::note_sentences()) typed += sentence;
  return typed;
}

// As shoot(), for a view the app fills further (help overlay, closed screen).
ui::FrameRecord shoot(test_support::ScreenWindow& screens, const ui::ScreenView& view,
                      const std::string& language, const std::string& name) {
  const std::string dir = std::string(FK_ARTIFACTS) + "/screens/" + language;
  std::filesystem::create_directories(dir);
  screens.draw(view);
  const ui::FrameRecord record = screens.draw(view, dir + "/" + name + ".png");
  INFO(language << " " << name);
  std::string missing;
  for (char32_t c : record.missing_glyphs) missing += " U+" + std::to_string(static_cast<unsigned>(c));
  CHECK(missing.empty());
  check_text_inside_boxes(record);
  return record;
}

flow::FlowConfig gallery_config() {
  flow::FlowConfig config;
  config.tap_guard = flow::Millis{0};
  config.min_read_time = flow::Millis{0};  // the shots are taken at one instant: no rule against mashing
  config.quick_run = 0;
  config.send_delay = flow::Millis{0};
  config.still_there_guard = flow::Millis{0};
  return config;
}

}  // namespace

TEST_CASE("every screen of the lobby survey in every language, kept as screenshots") {
  test_support::ScreenWindow screens(FK_ASSETS "/surveys/lobby.toml", all_typed());
  CHECK(screens.catalog_log().empty());
  for (const i18n::Language& language : i18n::supported_languages()) {
    const std::string tag(language.tag);
    store::MemoryResponseStore store;
    flow::FlowDeps deps;
    deps.store = &store;
    flow::VisitFlow flow(screens.survey(), gallery_config(), deps);
    flow::TimePoint now{};
    flow.apply(flow::ChooseLanguage{tag}, now);
    const ui::FrameRecord attract = shoot(screens, flow, now, tag, "01-attract");
    // The language row offers all seven, each in its own name; the chosen one is marked.
    for (const i18n::Language& l : i18n::supported_languages()) {
      const ui::TouchTarget* button = attract.find("lang-" + std::string(l.tag));
      REQUIRE(button != nullptr);
      CHECK(button->label == l.native_name);
      CHECK(button->selected == (l.tag == language.tag));
    }

    flow.apply(flow::StartVisit{tag}, now);
    const ui::FrameRecord rating = shoot(screens, flow, now, tag, "02-rating-default-labels");
    // Right to left: the scale and the footer mirror (worst face and Back on the right).
    const bool rtl = language.rtl;
    CHECK((rating.find("rating-1")->min.x > rating.find("rating-5")->min.x) == rtl);
    CHECK((rating.find("back")->min.x > rating.find("next")->min.x) == rtl);
    flow.apply(flow::SetAnswer{2, true}, now);
    shoot(screens, flow, now, tag, "03-rating-survey-labels");
    flow.apply(flow::SetAnswer{4, true}, now);
    flow.apply(flow::SetAnswer{3, true}, now);
    flow.apply(flow::SetAnswer{5, true}, now);
    flow.apply(flow::SetAnswer{std::vector<std::string>{"wait", "explain"}, false}, now);
    shoot(screens, flow, now, tag, "04-multiple-choice");
    flow.apply(flow::Next{}, now);
    shoot(screens, flow, now, tag, "05-yes-no");
    flow.apply(flow::SetAnswer{true, true}, now);
    shoot(screens, flow, now, tag, "06-note-empty");
    flow.apply(flow::SetAnswer{kTyped.at(tag).note, false}, now);
    shoot(screens, flow, now, tag, "07-note-typed");
    flow.apply(flow::SetAnswer{test::long_note(tag), false}, now);
    shoot(screens, flow, now, tag, "07b-note-500-characters");
    flow.apply(flow::SetAnswer{kTyped.at(tag).note, false}, now);
    flow.apply(flow::Next{}, now);
    flow.apply(flow::SetAnswer{kTyped.at(tag).employee, false}, now);
    shoot(screens, flow, now, tag, "08-employee");
    now += flow.config().inactivity_timeout;
    flow.tick(now);
    REQUIRE(flow.screen() == flow::Screen::StillThere);
    shoot(screens, flow, now, tag, "09-still-there");
    screens.state().confirm_end = true;  // "Start over" touched: it asks once
    const ui::FrameRecord still_asking = shoot(screens, flow, now, tag, "09-still-there-asking");
    CHECK(still_asking.find("end-yes") != nullptr);
    CHECK(still_asking.find("end-no") != nullptr);
    flow.apply(flow::StillHere{}, now);
    flow.apply(flow::Next{}, now);
    REQUIRE(flow.screen() == flow::Screen::ThankYou);
    shoot(screens, flow, now, tag, "10-thank-you");
    auto counts = store.counts();
    REQUIRE(counts.ok());
    CHECK(counts->total() == 1);
    // (The visit above rated 2 overall and wrote a note: the thank-you says who reads it and where
    // complaints go.) "Start over" asks in the footer before it ends anything.
    flow.apply(flow::Finish{}, now);
    flow.apply(flow::StartVisit{tag}, now);
    flow.apply(flow::AskEndVisit{}, now);
    const ui::FrameRecord asking = shoot(screens, flow, now, tag, "10b-start-over-asks");
    CHECK(asking.find("end-yes") != nullptr);
    flow.apply(flow::EndVisit{}, now);

    // A kiosk whose store cannot be used, configured with this default language.
    flow::FlowConfig config = gallery_config();
    config.default_language = tag;
    flow::VisitFlow broken(screens.survey(), config, flow::FlowDeps{});
    broken.apply(flow::StartVisit{}, now);
    REQUIRE(broken.screen() == flow::Screen::Unavailable);
    shoot(screens, broken, now, tag, "11-unavailable");

    // Around the visit: the "Need help now?" control stays top right in every language (the top-left corner
    // is the staff's), its overlay, and the closed screen asleep and woken.
    const ui::TouchTarget* help = attract.find("help");
    REQUIRE(help != nullptr);
    CHECK(help->min.x > 1920.0f / 2);
    CHECK(help->min.y < 40.0f);
    CHECK(rating.find("help") != nullptr);
    ui::ScreenView view = ui::make_view(flow, now);
    view.help_open = true;
    const ui::FrameRecord overlay = shoot(screens, view, tag, "12-help");
    CHECK(overlay.find("close-help") != nullptr);
    view.help_open = false;
    view.closed = ui::ClosedView{false, 1, 8 * 60};
    shoot(screens, view, tag, "13-closed");
    view.closed->awake = true;
    const ui::FrameRecord awake = shoot(screens, view, tag, "14-closed-awake");
    CHECK(awake.texts.size() >= 5);
    // A department's own texts, in this language, are drawn (and the atlas holds them).
    view.closed.reset();
    view.help_open = true;
    view.help_text = kScope.at(tag);
    const ui::FrameRecord own = shoot(screens, view, tag, "15-help-department-text");
    CHECK(std::find(own.texts.begin(), own.texts.end(), kScope.at(tag)) != own.texts.end());
  }
}

TEST_CASE("the staff PIN pad typing then checking the PIN then refused kept as screenshots") {
  test_support::ScreenWindow screens(FK_ASSETS "/surveys/lobby.toml");
  const std::string dir = std::string(FK_ARTIFACTS) + "/screens/staff";
  std::filesystem::create_directories(dir);
  ui::StaffView view;
  view.pin_digits = 4;
  const std::pair<const char*, ui::StaffView> shots[] = {
      {"01-pin-typed", view},
      {"02-pin-checking",
       [&] {
         ui::StaffView v;
         v.pin_checking = true;
         return v;
       }()},
      {"03-pin-wrong",
       [&] {
         ui::StaffView v;
         v.pin_message = "Wrong PIN. 4 tries left before the pad locks.";
         return v;
       }()},
  };
  for (const auto& [name, shot] : shots) {
    INFO(name);
    screens.draw(shot);
    const ui::FrameRecord record = screens.draw(shot, dir + "/" + name + ".png");
    CHECK(record.missing_glyphs.empty());
    CHECK(std::filesystem::file_size(dir + "/" + std::string(name) + ".png") > 1000);
  }
}
