// Every character the kiosk can draw has a glyph in the atlas the kiosk builds, in every font; every catalog
// really translates; and the language-dependent parts of the screens (the language row, the rating words,
// the mirrored layout) follow the visit's language.

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstring>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "kiosk/i18n/languages.hpp"
#include "kiosk/ui/bidi.hpp"
#include "kiosk/ui/glyphs.hpp"
#include "kiosk/ui/keyboard.hpp"
#include "kiosk/ui/messages.hpp"
#include "sync/model/survey_parser.hpp"
#include "ui_test_support.hpp"

using namespace fk;
using namespace fk::test;

namespace {

std::string code_point_name(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

// The code points ≥ U+0020 of `shown` that `font` has no glyph for (what the kiosk would draw as a box).
std::vector<char32_t> missing_in(const ImFont* font, const std::string& shown) {
  std::vector<char32_t> missing;
  for (char32_t c : code_points(shown)) {
    if (c < 0x20) continue;
    if (c > IM_UNICODE_CODEPOINT_MAX || font->FindGlyphNoFallback(static_cast<ImWchar>(c)) == nullptr) {
      missing.push_back(c);
    }
  }
  return missing;
}

bool drew(const HeadlessUi& ui, const std::string& text) {
  for (const auto& t : ui.record().texts) {
    if (t == text) return true;
  }
  return false;
}

std::shared_ptr<const model::SurveyDefinition> minimal_survey() {
  auto survey = model::load_survey_file(FK_FIXTURES "/surveys/good/minimal.toml");
  REQUIRE(survey.ok());
  return std::make_shared<const model::SurveyDefinition>(std::move(survey.value()));
}

// Puts the flow on the lobby survey's thank-you note (free text).
void to_note(FlowRig& rig) {
  rig.flow.apply(flow::StartVisit{}, rig.now);
  for (int i = 0; i < 4; ++i) rig.flow.apply(flow::Next{}, rig.now);
  rig.flow.apply(flow::SetAnswer{true, true}, rig.now);
  REQUIRE(rig.view().question->id == "thanks_note");
}

}  // namespace

TEST_CASE(
    "glyphs: every string of every catalog and survey, language name and key has a glyph in each font "
    "drawing it") {
  HeadlessUi ui;
  using Font = std::pair<const char*, const ImFont*>;
  const Font body{"body", ui.fonts().body}, title{"title", ui.fonts().title},
      small{"small", ui.fonts().small}, button{"button", ui.fonts().button};
  struct Source {
    const char* what;
    std::vector<std::string> texts;
    std::vector<Font> fonts;  // the fonts that draw it
  };
  std::vector<std::string> names;
  for (const i18n::Language& l : i18n::supported_languages()) names.emplace_back(l.native_name);
  const std::vector<Source> sources = {
      {"catalog", ui::catalog_texts(ui.catalogs()), {body, title, small, button}},
      {"lobby survey", ui::survey_texts(*lobby_survey()), {body, title, small, button}},
      {"language name", names, {body, title, small, button}},
      // Key labels are drawn in the body and small fonts only (see ui::AtlasTexts), typed text in the body.
      {"keyboard", {ui::keyboard_characters()}, {body, small}},
  };

  std::size_t checked = 0;
  bool saw_arabic_form = false, saw_han = false, saw_hangul = false, saw_vietnamese = false;
  for (const Source& source : sources) {
    REQUIRE_FALSE(source.texts.empty());
    for (const std::string& text : source.texts) {
      const std::string shown = ui::bidi::visual(text, ui::bidi::Base::Auto);
      for (char32_t c : code_points(shown)) {
        saw_arabic_form = saw_arabic_form || (c >= 0xFE70 && c <= 0xFEFC);
        saw_han = saw_han || (c >= 0x4E00 && c <= 0x9FFF);
        saw_hangul = saw_hangul || (c >= 0xAC00 && c <= 0xD7A3);
        saw_vietnamese = saw_vietnamese || (c >= 0x1EA0 && c <= 0x1EF9);
      }
      for (const auto& [font_name, font] : source.fonts) {
        std::string report;
        for (char32_t c : missing_in(font, shown)) report += " " + code_point_name(c);
        INFO(source.what << " string \"" << text << "\": no glyph in the " << font_name << " font for"
                         << report);
        CHECK(report.empty());
        ++checked;
      }
    }
  }
  // Every script the kiosk speaks was among the strings checked, as drawn (Arabic in presentation forms).
  CHECK(saw_arabic_form);
  CHECK(saw_han);
  CHECK(saw_hangul);
  CHECK(saw_vietnamese);
  CHECK(checked > 1000);  // some two thousand (string, font) pairs: not a vacuous loop
}

TEST_CASE("glyphs: a character the atlas does not hold is reported missing, and a screen records it") {
  HeadlessUi ui;
  constexpr char32_t kHangulHih = 0xD7A3;  // the last Hangul syllable: in no message, survey or key
  constexpr char32_t kRareHan = 0x9F98;    // a rare ideograph, in no Chinese string of the kiosk
  // The control is only a control if no text the atlas is built from has these characters.
  const ui::AtlasTexts atlas = ui::atlas_texts(*lobby_survey(), ui.catalogs());
  std::vector<std::string> everything = atlas.texts;
  everything.push_back(atlas.keys);
  everything.push_back(atlas.typed);
  std::size_t uses = 0;
  for (const std::string& text : everything) {
    for (char32_t c : code_points(text)) uses += c == kHangulHih || c == kRareHan ? 1 : 0;
  }
  REQUIRE(uses == 0);
  for (const ImFont* font : {ui.fonts().body, ui.fonts().title, ui.fonts().small, ui.fonts().button}) {
    CHECK(font->FindGlyphNoFallback(static_cast<ImWchar>(kHangulHih)) == nullptr);
    CHECK(font->FindGlyphNoFallback(static_cast<ImWchar>(kRareHan)) == nullptr);
    CHECK(missing_in(font, "A힣") == std::vector<char32_t>{kHangulHih});
  }
  // Characters next to them in the same scripts are in the atlas (from the catalogs and the keyboard).
  CHECK(ui.fonts().body->FindGlyphNoFallback(static_cast<ImWchar>(U'한')) != nullptr);
  CHECK(ui.fonts().body->FindGlyphNoFallback(static_cast<ImWchar>(U'文')) != nullptr);

  FlowRig rig;
  to_note(rig);
  rig.flow.apply(flow::SetAnswer{std::string("Officer Kim"), false}, rig.now);
  ui.frame(rig.view());
  CHECK(drew(ui, "Officer Kim|"));
  CHECK(ui.record().missing_glyphs.empty());

  rig.flow.apply(flow::SetAnswer{std::string("Kim 힣 龘"), false}, rig.now);
  ui.frame(rig.view());
  CHECK(drew(ui, "Kim 힣 龘|"));
  CHECK(ui.record().missing_glyphs == std::set<char32_t>{kHangulHih, kRareHan});
}

TEST_CASE("catalogs: each of the six catalogs translates, and plural messages give text for every count") {
  HeadlessUi ui;
  const i18n::Catalogs& catalogs = ui.catalogs();
  CHECK(catalogs.all().size() == 6);
  for (const i18n::Language& l : i18n::supported_languages()) {
    if (l.tag == "en") continue;
    const std::string tag(l.tag);
    INFO("language " << tag);
    const i18n::Catalog& catalog = catalogs.get(tag);
    CHECK_FALSE(catalog.empty());
    CHECK(catalog.language() == tag);
    CHECK(std::strcmp(catalog.text(ui::msg::kTouchToStart), ui::msg::kTouchToStart) != 0);
    CHECK(std::strcmp(catalog.text(ui::msg::kThankYou), ui::msg::kThankYou) != 0);
    // Most messages differ from English (a few words, like French "Excellent", may be the same).
    std::size_t translated = 0;
    for (const char* m : ui::all_messages()) translated += std::strcmp(catalog.text(m), m) != 0 ? 1 : 0;
    CHECK(translated * 10 >= ui::all_messages().size() * 8);
  }
  // English has no catalog: the msgid is the text.
  CHECK(std::strcmp(catalogs.get("en").text(ui::msg::kTouchToStart), "Touch here to start") == 0);

  REQUIRE_FALSE(ui::all_plural_messages().empty());
  for (const i18n::Language& l : i18n::supported_languages()) {
    const i18n::Catalog& catalog = catalogs.get(l.tag);
    for (const ui::PluralMessage& m : ui::all_plural_messages()) {
      for (long n : {0L, 1L, 2L, 3L, 11L, 100L}) {
        INFO("language " << l.tag << ", \"" << m.plural << "\", n = " << n);
        const char* text = catalog.plural(m.singular, m.plural, n);
        REQUIRE(text != nullptr);
        CHECK(std::strlen(text) > 0);
        if (l.tag != "en") {
          CHECK(std::strcmp(text, m.singular) != 0);
          CHECK(std::strcmp(text, m.plural) != 0);
        }
      }
    }
  }
  // English's own rule: one is singular, everything else plural.
  const i18n::Catalog& en = catalogs.get("en");
  CHECK(std::strcmp(en.plural(ui::msg::kEndingIn.singular, ui::msg::kEndingIn.plural, 1),
                    ui::msg::kEndingIn.singular) == 0);
  CHECK(std::strcmp(en.plural(ui::msg::kEndingIn.singular, ui::msg::kEndingIn.plural, 0),
                    ui::msg::kEndingIn.plural) == 0);
}

TEST_CASE("the parser's default rating labels are the UI's message ids") {
  auto parsed = model::parse_survey(
      "id = \"t\"\nversion = 1\ntitle = \"T\"\n"
      "[[question]]\nid = \"plain\"\nkind = \"rating\"\ntext = \"How was it?\"\n"
      "[[question]]\nid = \"own\"\nkind = \"rating\"\ntext = \"Agree?\"\n"
      "labels = [\"No\", \"Hardly\", \"Maybe\", \"Mostly\", \"Yes\"]\n",
      "labels.toml");
  REQUIRE(parsed.ok());
  const model::Question& plain = parsed.value().questions[0];
  CHECK(plain.default_labels);
  REQUIRE(plain.labels.size() == 5);
  for (std::size_t i = 0; i < 5; ++i) {
    INFO("label " << i + 1);
    CHECK(plain.labels[i].get("en") == ui::kDefaultRatingLabels[i]);
  }
  const model::Question& own = parsed.value().questions[1];
  CHECK_FALSE(own.default_labels);
  REQUIRE(own.labels.size() == 5);
  CHECK(own.labels[0].get("en") == "No");
}

TEST_CASE("a rating without its own labels shows the visit language's catalog words") {
  HeadlessUi ui;
  FlowRig rig;
  rig.flow.apply(flow::StartVisit{"es"}, rig.now);
  REQUIRE(rig.view().question->id == "overall");
  REQUIRE(rig.view().question->default_labels);
  ui.frame(rig.view());
  const i18n::Catalog& spanish = ui.catalogs().get("es");
  for (int i = 0; i < 5; ++i) {
    const ui::TouchTarget* target = ui.record().find("rating-" + std::to_string(i + 1));
    REQUIRE(target != nullptr);
    const std::string word = spanish.text(ui::kDefaultRatingLabels[i]);
    INFO("rating " << i + 1 << " label " << target->label);
    CHECK(word != ui::kDefaultRatingLabels[i]);  // a real Spanish word, not the English msgid
    CHECK(target->label == word);
    CHECK(drew(ui, word));
  }
  CHECK(ui.record().missing_glyphs.empty());
}

TEST_CASE("attract screen offers each of the survey's languages in its own name") {
  HeadlessUi ui;
  FlowRig rig;
  REQUIRE(rig.flow.survey().languages.size() == 7);
  ui.frame(rig.view());
  std::size_t language_targets = 0;
  for (const ui::TouchTarget& t : ui.record().targets)
    language_targets += t.id.rfind("lang-", 0) == 0 ? 1 : 0;
  CHECK(language_targets == 7);
  for (const i18n::Language& l : i18n::supported_languages()) {
    INFO("language " << l.tag);
    const ui::TouchTarget* target = ui.record().find("lang-" + std::string(l.tag));
    REQUIRE(target != nullptr);
    CHECK(target->label == l.native_name);
    CHECK(target->selected == (l.tag == "en"));  // the default language is the one shown
  }
  CHECK(ui.record().missing_glyphs.empty());

  const flow::Intent intent = ui.tap(rig.view(), "lang-es");
  const auto* chosen = std::get_if<flow::ChooseLanguage>(&intent);
  REQUIRE(chosen != nullptr);
  CHECK(chosen->language == "es");

  // Applied, the attract screen speaks Spanish and starts the visit in it.
  rig.flow.apply(intent, rig.now);
  ui.frame(rig.view());
  CHECK(ui.record().find("lang-es")->selected);
  CHECK_FALSE(ui.record().find("lang-en")->selected);
  CHECK(drew(ui, rig.flow.survey().title.get("es")));
  CHECK(ui.record().find("start")->label == ui.catalogs().get("es").text(ui::msg::kTouchToStart));
  const flow::Intent start = ui.tap(rig.view(), "start");
  REQUIRE(std::holds_alternative<flow::StartVisit>(start));
  CHECK(std::get<flow::StartVisit>(start).language == "es");
}

TEST_CASE("attract screen shows no language row for a survey in one language") {
  const auto survey = minimal_survey();
  REQUIRE(survey->languages == std::vector<std::string>{"en"});
  HeadlessUi ui({1920, 1080}, survey);
  FlowRig rig(survey);
  ui.frame(rig.view());
  REQUIRE(ui.record().screen == "attract");
  REQUIRE(ui.record().find("start") != nullptr);
  for (const ui::TouchTarget& t : ui.record().targets) {
    INFO("target " << t.id);
    CHECK(t.id.rfind("lang-", 0) != 0);
  }
}

TEST_CASE("an Arabic question screen mirrors its layout and records the logical text") {
  HeadlessUi ui;
  SECTION("Arabic") {
    FlowRig rig;
    rig.flow.apply(flow::StartVisit{"ar"}, rig.now);
    ui.frame(rig.view());
    const auto& r = ui.record();
    REQUIRE(r.find("back") != nullptr);
    REQUIRE(r.find("next") != nullptr);
    CHECK(r.find("back")->min.x > r.find("next")->max.x);
    CHECK(r.find("rating-1")->min.x > r.find("rating-5")->max.x);
    CHECK(r.find("rating-2")->min.x > r.find("rating-3")->max.x);
    const std::string& question = rig.view().question->text.get("ar");
    const std::string shown = ui::bidi::visual(question, ui::bidi::Base::Rtl);
    REQUIRE(shown != question);
    CHECK(drew(ui, question));  // as written, before reordering and shaping
    CHECK_FALSE(drew(ui, shown));
    CHECK(r.find("back")->label == ui.catalogs().get("ar").text(ui::msg::kBack));
    CHECK(r.missing_glyphs.empty());
  }
  SECTION("English") {
    FlowRig rig;
    rig.flow.apply(flow::StartVisit{"en"}, rig.now);
    ui.frame(rig.view());
    const auto& r = ui.record();
    REQUIRE(r.find("back") != nullptr);
    REQUIRE(r.find("next") != nullptr);
    CHECK(r.find("back")->max.x < r.find("next")->min.x);
    CHECK(r.find("rating-1")->max.x < r.find("rating-5")->min.x);
    CHECK(r.find("rating-2")->max.x < r.find("rating-3")->min.x);
    CHECK(drew(ui, rig.view().question->text.get("en")));
    CHECK(r.find("back")->label == "Back");
  }
}
