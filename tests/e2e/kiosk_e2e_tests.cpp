// End-to-end tests of feedback-kiosk: the real binary on an X display (xvfb-run, 1920x1080), driven by
// xdotool taps at the targets its automation hook reports in layout.json, checked through its SQLite store,
// its CLI and its stderr. Registered with CTest as one xvfb-run per test case (see CMakeLists.txt).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "sync/model/response.hpp"
#include "sync/store/sqlite_response_store.hpp"
#include "tests/e2e/kiosk_harness.hpp"

namespace {

using namespace fk::e2e;
namespace fs = std::filesystem;

// Layout pixel coordinates equal X screen coordinates only for a fullscreen kiosk on a 1920x1080 screen.
void require_test_display() {
  const char* display = std::getenv("DISPLAY");
  INFO("run under: xvfb-run -a -s \"-screen 0 1920x1080x24\" e2e_tests");
  REQUIRE(display != nullptr);
  REQUIRE(std::string(display) != "");
  const CommandResult geometry = run_command({"xdotool", "getdisplaygeometry"}, 10s);
  INFO(geometry.describe());
  REQUIRE(geometry.exit_code == 0);
  REQUIRE(geometry.out == "1920 1080\n");
}

fs::path fresh_artifacts_dir(const std::string& name) {
  const fs::path dir = fs::path(FK_ARTIFACTS) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// Runs an operator subcommand of the kiosk with no stray kiosk.toml in the way.
CommandResult kiosk_cli(const std::vector<std::string>& args) {
  TempDir config_home("fk-e2e-config");
  std::vector<std::string> argv = {kiosk_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, 30s, {{"XDG_CONFIG_HOME", config_home.path().string()}});
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

struct StoreSnapshot {
  fk::store::StatusCounts counts;
  std::vector<fk::store::StoredResponse> pending;
};

StoreSnapshot read_store(const fs::path& db) {
  INFO("store: " << db);
  REQUIRE(fs::exists(db));
  auto store = fk::store::SqliteResponseStore::open(db.string());
  INFO((store ? std::string() : store.error().message));
  REQUIRE(store.ok());
  auto counts = (*store)->counts();
  INFO((counts ? std::string() : counts.error().message));
  REQUIRE(counts.ok());
  auto pending = (*store)->pending(100);
  INFO((pending ? std::string() : pending.error().message));
  REQUIRE(pending.ok());
  return {*counts, std::move(*pending)};
}

const fk::model::AnswerValue* answer(const fk::model::Response& r, const std::string& question_id) {
  for (const auto& a : r.answers) {
    if (a.question_id == question_id) return &a.value;
  }
  return nullptr;
}

template <typename T>
void check_answer(const fk::model::Response& r, const std::string& question_id, const T& expected) {
  INFO("answer to \"" << question_id << "\"");
  const auto* value = answer(r, question_id);
  REQUIRE(value != nullptr);
  const T* typed = std::get_if<T>(value);
  REQUIRE(typed != nullptr);
  CHECK(*typed == expected);
}

// attract → start → the four rating questions of the lobby survey, ending on "thank".
void answer_ratings(Kiosk& kiosk, int overall, int listened, int next_steps, int above_beyond) {
  kiosk.wait_for(screen_is("attract"), "the attract screen", 20s);
  kiosk.tap("start", key_is("question-overall"), "the first question");
  kiosk.tap("rating-" + std::to_string(overall), key_is("question-listened"), "question 2");
  kiosk.tap("rating-" + std::to_string(listened), key_is("question-next_steps"), "question 3");
  kiosk.tap("rating-" + std::to_string(next_steps), key_is("question-above_beyond"), "question 4");
  // overall > 2: "improve" is skipped.
  kiosk.tap("rating-" + std::to_string(above_beyond), key_is("question-thank"), "the thank question");
}

// Taps one keyboard key and waits until the text box shows `text_after` (drawn with a caret).
void type_key(Kiosk& kiosk, const std::string& key, const std::string& text_after) {
  kiosk.tap("key-" + key, shows_text(text_after + "|"), "the text box to read \"" + text_after + "\"");
}

std::string next_label(const Layout& layout) {
  const Target* next = layout.find("next");
  return next ? next->label : "(no next button)";
}

}  // namespace

TEST_CASE("a resident completes the lobby survey by touch and it is stored once", "[e2e][lobby]") {
  require_test_display();
  const fs::path artifacts = fresh_artifacts_dir("e2e-lobby");
  TempDir data("fk-e2e-data");
  const std::string note = "Thank you é";

  {
    Kiosk kiosk({data.path(), artifacts});
    answer_ratings(kiosk, 5, 4, 5, 4);
    kiosk.tap("yes", key_is("question-thanks_note"), "the thank-you note question");

    kiosk.tap(
        "key-shift", [](const Layout& l) { return l.has_target("key-T"); }, "the shifted keyboard");
    type_key(kiosk, "T", "T");
    CHECK(kiosk.layout()->has_target("key-h"));  // shift is for one letter
    type_key(kiosk, "h", "Th");
    type_key(kiosk, "a", "Tha");
    type_key(kiosk, "n", "Than");
    type_key(kiosk, "k", "Thank");
    type_key(kiosk, "space", "Thank ");
    type_key(kiosk, "y", "Thank y");
    type_key(kiosk, "o", "Thank yo");
    type_key(kiosk, "u", "Thank you");
    type_key(kiosk, "space", "Thank you ");
    kiosk.tap(
        "key-layer", [](const Layout& l) { return l.has_target("key-é"); }, "the accent layer");
    type_key(kiosk, "é", note);

    Layout l = *kiosk.layout();
    CHECK(next_label(l) == "Next");
    kiosk.tap("next", key_is("question-employee"), "the employee question");
    type_key(kiosk, "4", "4");
    type_key(kiosk, "4", "44");
    type_key(kiosk, "1", "441");
    type_key(kiosk, "1", "4411");
    l = *kiosk.layout();
    CHECK(next_label(l) == "Send");
    kiosk.tap("next", screen_is("thank_you"), "the thank-you screen");

    // Every screen of the visit was kept as a PNG artifact (written a frame after it settles).
    for (const std::string key : {"attract", "question-overall", "question-thanks_note", "thank_you"}) {
      INFO("screenshot of " << key << " in " << artifacts);
      CHECK(wait_for_screenshot(artifacts, key).has_value());
    }
    CHECK(kiosk.stop() == 0);
  }

  const StoreSnapshot store = read_store(data.path() / "responses.sqlite");
  CHECK(store.counts.total() == 1);
  CHECK(store.counts.pending == 1);
  REQUIRE(store.pending.size() == 1);
  const fk::store::StoredResponse& stored = store.pending.front();
  INFO("payload: " << stored.payload);
  CHECK(stored.status == fk::store::Status::Pending);
  CHECK_FALSE(stored.partial);
  auto parsed = fk::model::parse_response(stored.payload);
  INFO((parsed ? std::string() : parsed.error().message));
  REQUIRE(parsed.ok());
  const fk::model::Response& r = *parsed;
  CHECK(r.language == "en");
  CHECK_FALSE(r.partial);
  CHECK(r.survey_id == "lobby");
  CHECK(r.answers.size() == 7);
  check_answer(r, "overall", 5);
  check_answer(r, "listened", 4);
  check_answer(r, "next_steps", 5);
  check_answer(r, "above_beyond", 4);
  check_answer(r, "thank", true);
  check_answer(r, "thanks_note", note);
  check_answer(r, "employee", std::string("4411"));
  CHECK(answer(r, "improve") == nullptr);

  // The operator's view agrees. (--data-dir before the subcommand: see the [!mayfail] test below.)
  const CommandResult status = kiosk_cli({"--data-dir", data.path().string(), "status"});
  INFO(status.describe());
  CHECK(status.exit_code == 0);
  CHECK(contains(status.out, "responses:      1 (pending 1, uploaded 0, quarantined 0)"));
}

TEST_CASE("a double tap on Send stores the response once", "[e2e][double-tap]") {
  require_test_display();
  const fs::path artifacts = fresh_artifacts_dir("e2e-double-tap");
  TempDir data("fk-e2e-data");
  {
    Kiosk kiosk({data.path(), artifacts});
    answer_ratings(kiosk, 4, 4, 4, 4);
    // Unanswered, "thank" hides the questions after it, so it is the last one: its button sends.
    const Layout l = *kiosk.layout();
    INFO(l.raw);
    REQUIRE(next_label(l) == "Send");
    kiosk.multi_tap("next", 2, 30, screen_is("thank_you"), "the thank-you screen");
    // Let both clicks and their settle frames play out before looking at the store.
    const Layout after = kiosk.wait_until_idle();
    CHECK(after.screen == "thank_you");
    CHECK(kiosk.stop() == 0);
  }
  const StoreSnapshot store = read_store(data.path() / "responses.sqlite");
  CHECK(store.counts.total() == 1);
  REQUIRE(store.pending.size() == 1);
  auto parsed = fk::model::parse_response(store.pending.front().payload);
  REQUIRE(parsed.ok());
  CHECK(parsed->answers.size() == 4);
  check_answer(*parsed, "overall", 4);
  CHECK(answer(*parsed, "thank") == nullptr);
}

// Found while writing the test above: answer-and-advance buttons sit at the same place on consecutive
// rating screens, so the second click of an accidental double tap answers a question the resident never
// read. The flow's tap guard (350 ms after a change) absorbs the second tap.
TEST_CASE("a double tap on a rating answers only the question it was on", "[e2e][double-tap]") {
  require_test_display();
  const fs::path artifacts = fresh_artifacts_dir("e2e-double-tap-rating");
  TempDir data("fk-e2e-data");
  Kiosk kiosk({data.path(), artifacts});
  kiosk.wait_for(screen_is("attract"), "the attract screen", 20s);
  kiosk.tap("start", key_is("question-overall"), "the first question");
  kiosk.wait_until_idle();
  // 150 ms apart, an ordinary accidental double tap; at 30 ms the outcome depends on frame timing.
  kiosk.multi_tap(
      "rating-5", 2, 150, [](const Layout& l) { return l.key != "question-overall"; }, "a later question");
  const Layout after = kiosk.wait_until_idle();
  INFO(after.raw);
  CHECK(after.key == "question-listened");
  for (const auto& t : after.targets) CHECK_FALSE(t.selected);
  CHECK(kiosk.stop() == 0);
}

// Issue 12: 15 taps 120 ms apart on one face answered four questions and pressed "No" on the fifth (under
// the same spot), and the next person saw "Thank you!". Now the first tap answers the question read, and the
// taps after it only select an answer on the next one, which then waits for Next.
TEST_CASE("mashing one spot from the first question completes nothing and stores nothing", "[e2e][mash]") {
  require_test_display();
  const fs::path artifacts = fresh_artifacts_dir("e2e-mash");
  TempDir data("fk-e2e-data");
  {
    Kiosk kiosk({data.path(), artifacts});
    kiosk.wait_for(screen_is("attract"), "the attract screen", 20s);
    kiosk.tap("start", key_is("question-overall"), "the first question");
    kiosk.multi_tap(
        "rating-5", 15, 120, [](const Layout& l) { return l.key != "question-overall"; }, "a later question");
    // Let every click and its frames play out (15 x 120 ms, and more on a busy machine).
    const Layout after = kiosk.wait_until_idle(1500ms, 30s);
    INFO(after.raw);
    CHECK(after.screen == "question");
    CHECK_FALSE(after.has_text("Thank you!"));
    CHECK(after.key != "question-thank");  // not even near the end
    CHECK(kiosk.stop() == 0);
  }
  const StoreSnapshot store = read_store(data.path() / "responses.sqlite");
  CHECK(store.counts.total() == 0);
}

TEST_CASE("a survey file with an unknown key falls back to the embedded lobby survey", "[e2e][bad-survey]") {
  require_test_display();
  const fs::path artifacts = fresh_artifacts_dir("e2e-bad-survey");
  TempDir tmp("fk-e2e-survey");
  const fs::path bad = tmp / "bad-survey.toml";
  // Line 7 holds a key the format does not know.
  write_text(bad,
             "id = \"broken\"\n"
             "version = 3\n"
             "default_language = \"en\"\n"
             "languages = [\"en\"]\n"
             "title = \"A survey that must not be shown\"\n"
             "welcome = \"Nothing to see.\"\n"
             "colour = \"red\"\n"
             "\n"
             "[[question]]\n"
             "id = \"overall\"\n"
             "kind = \"rating\"\n"
             "text = \"Overall?\"\n");
  const std::string where = bad.string() + ":7:";

  {
    Kiosk kiosk({tmp / "data", artifacts, bad});
    const Layout l = kiosk.wait_for(screen_is("attract"), "the attract screen", 20s);
    INFO(kiosk.diagnostics());
    CHECK(l.has_text("How did we do today?"));  // the embedded lobby survey's title
    CHECK_FALSE(l.has_text("A survey that must not be shown"));
    CHECK(l.has_target("start"));
    CHECK(kiosk.wait_for_stderr(where));
    const std::string err = kiosk.stderr_text();
    CHECK(contains(err, where));
    CHECK(contains(err, "colour"));
    CHECK(contains(err, "embedded default"));
    CHECK(kiosk.stop() == 0);
  }

  const CommandResult check = kiosk_cli({"survey", "check", bad.string()});
  INFO(check.describe());
  CHECK(check.exit_code != 0);
  CHECK(contains(check.out + check.err, where));
  CHECK(contains(check.out + check.err, bad.string() + ":7:1: "));

  const CommandResult good =
      kiosk_cli({"survey", "check", std::string(FK_FIXTURES) + "/surveys/good/minimal.toml"});
  INFO(good.describe());
  CHECK(good.exit_code == 0);
  CHECK(contains(good.out, "ok"));
}

TEST_CASE("an unusable data directory shows the unavailable screen and logs why", "[e2e][unavailable]") {
  require_test_display();
  const fs::path artifacts = fresh_artifacts_dir("e2e-unavailable");
  TempDir tmp("fk-e2e-unusable");
  write_text(tmp / "not-a-directory", "a regular file\n");
  const fs::path data_dir = tmp / "not-a-directory" / "data";

  Kiosk kiosk({data_dir, artifacts});
  const Layout first = kiosk.wait_for(screen_is("unavailable"), "the unavailable screen", 20s);
  INFO(kiosk.diagnostics());
  CHECK(first.targets.empty());
  CHECK(first.has_text("This kiosk is temporarily unavailable."));
  CHECK(kiosk.wait_for_stderr("Not a directory"));
  CHECK(contains(kiosk.stderr_text(), "cannot create data directory " + data_dir.string()));

  // A resident touching it changes nothing and crashes nothing.
  const CommandResult click = run_command({"xdotool", "mousemove", "960", "700", "click", "1"}, 10s);
  REQUIRE(click.exit_code == 0);
  const Layout after =
      kiosk.wait_for([](const Layout&) { return true; }, "a frame after the touch", 10s, first.frame);
  CHECK(after.screen == "unavailable");
  kiosk.wait_until_idle();
  CHECK(kiosk.running());
  CHECK(wait_for_screenshot(artifacts, "unavailable").has_value());
  CHECK(kiosk.stop() == 0);
  CHECK_FALSE(fs::exists(data_dir));
}

// The brief documents `feedback-kiosk status --data-dir DIR`; CLI11 binds --data-dir to the top-level app
// only, so the option is refused after the subcommand. Kept as a known failure until main.cpp allows it.
TEST_CASE("status accepts --data-dir after the subcommand", "[cli]") {
  TempDir data("fk-e2e-data");
  const CommandResult status = kiosk_cli({"status", "--data-dir", data.path().string()});
  INFO(status.describe());
  CHECK(status.exit_code == 0);
  CHECK(contains(status.out, "data directory: " + data.path().string()));
}

namespace {

bool is_selected(const Layout& l, const std::string& id) {
  const Target* t = l.find(id);
  return t != nullptr && t->selected;
}

// Picks a language on the attract screen and starts; the first question is then on screen.
void start_in(Kiosk& kiosk, const std::string& tag) {
  kiosk.wait_for(screen_is("attract"), "the attract screen", 20s);
  kiosk.tap(
      "lang-" + tag, [tag](const Layout& l) { return is_selected(l, "lang-" + tag); },
      "the attract screen in " + tag);
  kiosk.tap("start", key_is("question-overall"), "the first question");
}

// The one stored response, parsed.
fk::model::Response only_response(const fs::path& data) {
  const StoreSnapshot store = read_store(data / "responses.sqlite");
  REQUIRE(store.counts.total() == 1);
  REQUIRE(store.pending.size() == 1);
  INFO("payload: " << store.pending.front().payload);
  auto parsed = fk::model::parse_response(store.pending.front().payload);
  REQUIRE(parsed.ok());
  return *parsed;
}

}  // namespace

TEST_CASE("a resident completes the lobby survey in Arabic and types the note in Arabic", "[e2e][arabic]") {
  require_test_display();
  const fs::path artifacts = fresh_artifacts_dir("e2e-arabic");
  TempDir data("fk-e2e-data");
  const std::string note = "شكرا لكم 12";  // Arabic letters, the lam-alef key, and digits
  {
    Kiosk kiosk({data.path(), artifacts});
    start_in(kiosk, "ar");
    // The layout mirrors: the scale starts on the right, Back is on the right.
    const Layout first = *kiosk.layout();
    REQUIRE(first.find("rating-1") != nullptr);
    CHECK(first.find("rating-1")->x > first.find("rating-5")->x);
    CHECK(first.find("back")->x > first.find("next")->x);
    CHECK(first.find("back")->label == "رجوع");
    kiosk.tap("rating-4", key_is("question-listened"), "question 2");
    kiosk.tap("rating-4", key_is("question-next_steps"), "question 3");
    kiosk.tap("rating-5", key_is("question-above_beyond"), "question 4");
    kiosk.tap("rating-4", key_is("question-thank"), "the thank question");
    kiosk.tap("yes", key_is("question-thanks_note"), "the note");
    type_key(kiosk, "ش", "ش");
    type_key(kiosk, "ك", "شك");
    type_key(kiosk, "ر", "شكر");
    type_key(kiosk, "ا", "شكرا");
    type_key(kiosk, "space", "شكرا ");
    type_key(kiosk, "ل", "شكرا ل");
    type_key(kiosk, "ك", "شكرا لك");
    type_key(kiosk, "م", "شكرا لكم");
    type_key(kiosk, "space", "شكرا لكم ");
    type_key(kiosk, "1", "شكرا لكم 1");
    type_key(kiosk, "2", note);
    kiosk.tap("next", key_is("question-employee"), "the employee question");
    // A Latin name on the Arabic keyboard's Latin layer.
    kiosk.tap(
        "key-layer-latin", [](const Layout& l) { return l.has_target("key-q"); }, "the Latin layer");
    type_key(kiosk, "a", "a");
    type_key(kiosk, "l", "al");
    type_key(kiosk, "i", "ali");
    kiosk.tap("next", screen_is("thank_you"), "the thank-you screen");
    for (const std::string key : {"attract", "question-overall", "question-thanks_note", "thank_you"}) {
      INFO("screenshot of " << key << " in " << artifacts);
      CHECK(wait_for_screenshot(artifacts, key).has_value());
    }
    CHECK(kiosk.stop() == 0);
  }
  const fk::model::Response r = only_response(data.path());
  CHECK(r.language == "ar");
  check_answer(r, "overall", 4);
  check_answer(r, "above_beyond", 4);
  check_answer(r, "thanks_note", note);
  check_answer(r, "employee", std::string("ali"));
}

TEST_CASE("a resident completes the lobby survey in Vietnamese and types tones on the note",
          "[e2e][vietnamese]") {
  require_test_display();
  const fs::path artifacts = fresh_artifacts_dir("e2e-vietnamese");
  TempDir data("fk-e2e-data");
  const std::string note = "Việt cảm ơn";  // precomposed (NFC), as the tone keys produce it
  {
    Kiosk kiosk({data.path(), artifacts});
    start_in(kiosk, "vi");
    CHECK(kiosk.layout()->find("next")->label != "Skip");  // translated
    kiosk.tap("rating-5", key_is("question-listened"), "question 2");
    kiosk.tap("rating-5", key_is("question-next_steps"), "question 3");
    kiosk.tap("rating-4", key_is("question-above_beyond"), "question 4");
    kiosk.tap("rating-5", key_is("question-thank"), "the thank question");
    kiosk.tap("yes", key_is("question-thanks_note"), "the note");
    kiosk.tap(
        "key-shift", [](const Layout& l) { return l.has_target("key-V"); }, "the shifted keyboard");
    type_key(kiosk, "V", "V");
    type_key(kiosk, "i", "Vi");
    type_key(kiosk, "ê", "Viê");
    type_key(kiosk, "t", "Viêt");
    type_key(kiosk, "tone-nang", "Việt");
    type_key(kiosk, "space", "Việt ");
    type_key(kiosk, "c", "Việt c");
    type_key(kiosk, "a", "Việt ca");
    type_key(kiosk, "m", "Việt cam");
    type_key(kiosk, "tone-hoi", "Việt cảm");
    type_key(kiosk, "space", "Việt cảm ");
    type_key(kiosk, "ơ", "Việt cảm ơ");
    type_key(kiosk, "n", note);
    kiosk.tap("next", key_is("question-employee"), "the employee question");
    kiosk.tap("next", screen_is("thank_you"), "the thank-you screen");  // skipped: "Send" without a name
    for (const std::string key : {"attract", "question-thanks_note", "thank_you"}) {
      INFO("screenshot of " << key << " in " << artifacts);
      CHECK(wait_for_screenshot(artifacts, key).has_value());
    }
    CHECK(kiosk.stop() == 0);
  }
  const fk::model::Response r = only_response(data.path());
  CHECK(r.language == "vi");
  check_answer(r, "overall", 5);
  check_answer(r, "thanks_note", note);
  CHECK(answer(r, "employee") == nullptr);
}

TEST_CASE("a resident types a Korean note whose syllables no UI text contains and sees every glyph",
          "[e2e][korean]") {
  require_test_display();
  const fs::path artifacts = fresh_artifacts_dir("e2e-korean");
  TempDir data("fk-e2e-data");
  // 닭 (chicken) and 뷁: syllables in no catalog or survey string, so the atlas must grow while typing.
  const std::string note = "닭 뷁";
  {
    Kiosk kiosk({data.path(), artifacts});
    start_in(kiosk, "ko");
    kiosk.tap("rating-4", key_is("question-listened"), "question 2");
    kiosk.tap("rating-4", key_is("question-next_steps"), "question 3");
    kiosk.tap("rating-4", key_is("question-above_beyond"), "question 4");
    kiosk.tap("rating-4", key_is("question-thank"), "the thank question");
    kiosk.tap("yes", key_is("question-thanks_note"), "the note");
    type_key(kiosk, "ㄷ", "ㄷ");
    type_key(kiosk, "ㅏ", "다");
    type_key(kiosk, "ㄹ", "달");
    type_key(kiosk, "ㄱ", "닭");
    type_key(kiosk, "space", "닭 ");
    type_key(kiosk, "ㅂ", "닭 ㅂ");
    type_key(kiosk, "ㅜ", "닭 부");
    type_key(kiosk, "ㅔ", "닭 붸");
    type_key(kiosk, "ㄹ", "닭 뷀");
    type_key(kiosk, "ㄱ", note);
    // The frame drawn after the atlas was rebuilt has a glyph for every character.
    const Layout settled = kiosk.wait_for(
        [](const Layout& l) {
          const auto json = nlohmann::json::parse(l.raw, nullptr, false);
          return l.has_text("닭 뷁|") && json.is_object() && json.contains("missing_glyphs") &&
                 json["missing_glyphs"].empty();
        },
        "the typed syllables drawn with glyphs");
    CHECK(settled.has_text("닭 뷁|"));
    // They were not in the atlas at start: the kiosk added them (one rebuild per new syllable typed).
    CHECK(kiosk.wait_for_stderr("typed character(s) it lacked"));
    kiosk.tap("next", key_is("question-employee"), "the employee question");
    kiosk.tap("next", screen_is("thank_you"), "the thank-you screen");
    CHECK(kiosk.stop() == 0);
    CHECK(kiosk.stderr_text().find("not found") == std::string::npos);  // no font is missing
  }
  const fk::model::Response r = only_response(data.path());
  CHECK(r.language == "ko");
  check_answer(r, "thanks_note", note);
}

// A resident who keeps tapping keys at the note's limit is still there, although no tap changes the text:
// "Are you still there?" must not interrupt them (and its "Start over" used to sit under those keys).
TEST_CASE("taps that change nothing at a note's limit keep the visit going", "[e2e][activity]") {
  require_test_display();
  const fs::path artifacts = fresh_artifacts_dir("e2e-activity");
  TempDir data("fk-e2e-data");
  const fs::path survey = data / "short-note.toml";
  write_text(survey,
             "id = \"short-note\"\nversion = 1\ntitle = \"Short note\"\n\n[[question]]\nid = \"note\"\n"
             "kind = \"free_text\"\ntext = \"Three letters, please.\"\nmax_length = 3\n");
  const fs::path config = data / "kiosk.toml";
  write_text(config, "[visit]\ninactivity_timeout_s = 3\n");
  KioskOptions options(data.path() / "data", artifacts, survey);
  options.config_file = config;
  {
    Kiosk kiosk(options);
    kiosk.wait_for(screen_is("attract"), "the attract screen", 20s);
    kiosk.tap("start", key_is("question-note"), "the note");
    type_key(kiosk, "a", "a");
    type_key(kiosk, "b", "ab");
    type_key(kiosk, "c", "abc");
    // Twice the inactivity timeout of taps on a full text, one a second: each changes nothing.
    for (int i = 0; i < 6; ++i) {
      std::this_thread::sleep_for(1s);
      kiosk.tap("key-d", key_is("question-note"), "the note, unchanged");
    }
    const Layout still = kiosk.wait_for(key_is("question-note"), "the note after the taps");
    CHECK(still.has_text("abc|"));
    kiosk.tap("next", screen_is("thank_you"), "the thank-you screen");
    CHECK(kiosk.stop() == 0);
  }
  const fk::model::Response r = only_response(data.path() / "data");
  check_answer(r, "note", std::string("abc"));
}
