// kiosk.toml: defaults, the documented example, and refusals that name file, line and reason.
#include <catch2/catch.hpp>
#include <fstream>

#include "kiosk/kiosk_config.hpp"
#include "support/temp_dir.hpp"

using namespace fk;
using namespace std::chrono_literals;

TEST_CASE("no config file at the default path: the embedded defaults apply") {
  test_support::TempDir dir;
  auto config = kiosk::load_config(dir / "absent.toml", false);
  REQUIRE(config.ok());
  CHECK(config->flow.inactivity_timeout == 45s);
  CHECK(config->flow.partial_policy == flow::PartialPolicy::Discard);
  CHECK(config->fullscreen);
  CHECK_FALSE(config->survey.has_value());
  CHECK(config->store_path() == config->data_dir + "/responses.sqlite");
}

TEST_CASE("a config file asked for by name must exist") {
  test_support::TempDir dir;
  auto config = kiosk::load_config(dir / "absent.toml", true);
  REQUIRE_FALSE(config.ok());
  CHECK_THAT(config.error().message, Catch::Contains("absent.toml") && Catch::Contains("cannot read"));
}

TEST_CASE("the example config in deploy/ is valid and means what it says") {
  auto config = kiosk::load_config(FK_DEPLOY "/kiosk.example.toml", true);
  REQUIRE(config.ok());
  CHECK(config->data_dir == "/var/lib/feedback-kiosk");
  CHECK(config->survey == std::optional<std::string>("/etc/feedback-kiosk/lobby.toml"));
  CHECK(config->flow.inactivity_timeout == 45s);
  CHECK(config->flow.still_there_timeout == 20s);
  CHECK(config->flow.thank_you_duration == 6s);
  CHECK(config->window_width == 1920);
  CHECK(config->flow.misuse_interval == 5s);
  CHECK(config->flow.min_time_per_answer == 700ms);
}

TEST_CASE("the misuse rules are read from [visit] and 0 turns them off") {
  test_support::TempDir dir;
  const auto path = dir.write("kiosk.toml", "[visit]\nmisuse_interval_s = 0\nmin_ms_per_answer = 1500\n");
  auto config = kiosk::load_config(path, true);
  REQUIRE(config.ok());
  CHECK(config->flow.misuse_interval == 0s);
  CHECK(config->flow.min_time_per_answer == 1500ms);
}

TEST_CASE("config values override the defaults") {
  test_support::TempDir dir;
  const auto path = dir.write("kiosk.toml",
                              "data_dir = \"/srv/k\"\n[visit]\ninactivity_timeout_s = 20\n"
                              "partial_policy = \"submit_partial\"\n[display]\nfullscreen = false\n");
  auto config = kiosk::load_config(path, true);
  REQUIRE(config.ok());
  CHECK(config->data_dir == "/srv/k");
  CHECK(config->flow.inactivity_timeout == 20s);
  CHECK(config->flow.partial_policy == flow::PartialPolicy::SubmitPartial);
  CHECK_FALSE(config->fullscreen);
}

TEST_CASE("config mistakes are refused with file, line and reason") {
  test_support::TempDir dir;
  struct Case {
    const char* text;
    const char* expected;
  };
  const Case cases[] = {
      {"data_dir = \"/x\"\ncolour = \"red\"\n", "kiosk.toml:2:1: unknown key \"colour\""},
      {"[visit]\ninactivity = 3\n", "kiosk.toml:2:1: unknown key \"inactivity\" in [visit]"},
      {"[visit]\n\ninactivity_timeout_s = 0\n", "kiosk.toml:3:24: inactivity_timeout_s must be"},
      {"[visit]\npartial_policy = \"keep\"\n", "kiosk.toml:2:18: partial_policy must be"},
      // Under 20 s a resident cannot answer "still there?" in time (WCAG 2.2.1).
      {"[visit]\nstill_there_timeout_s = 15\n",
       "kiosk.toml:2:25: still_there_timeout_s must be a whole number of seconds from 20 to 3600"},
      {"[visit]\nmisuse_interval_s = -1\n", "kiosk.toml:2:21: misuse_interval_s must be"},
      {"[visit]\nmin_ms_per_answer = \"fast\"\n", "kiosk.toml:2:21: min_ms_per_answer must be"},
      {"data_dir = \n", "kiosk.toml:1:"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const auto path = dir.write("kiosk.toml", c.text);
    auto config = kiosk::load_config(path, true);
    REQUIRE_FALSE(config.ok());
    CHECK_THAT(config.error().message, Catch::Contains(c.expected));
  }
}

TEST_CASE("an unusable data directory is explained") {
  test_support::TempDir dir;
  const auto file = dir.write("plain-file", "x");
  auto made = kiosk::ensure_data_dir(file + "/data");
  REQUIRE_FALSE(made.ok());
  CHECK_THAT(made.error().message, Catch::Contains(file + "/data"));
  CHECK(kiosk::ensure_data_dir(dir / "new/nested").ok());
}

TEST_CASE("default_language and catalog_dir are read from the config") {
  test_support::TempDir dir;
  const auto path = dir.write("kiosk.toml", "default_language = \"vi\"\ncatalog_dir = \"/x\"\n");
  auto config = kiosk::load_config(path, true);
  REQUIRE(config.ok());
  CHECK(config->flow.default_language == "vi");
  CHECK(config->catalog_dir == "/x");

  // Without them: English, and no directory (the catalogs embedded in the binary).
  auto defaults = kiosk::load_config(dir.write("empty.toml", "data_dir = \"/srv/k\"\n"), true);
  REQUIRE(defaults.ok());
  CHECK(defaults->flow.default_language == "en");
  CHECK(defaults->catalog_dir.empty());
}

TEST_CASE("a default_language the kiosk does not speak is refused with file, line and the choices") {
  test_support::TempDir dir;
  SECTION("an unknown tag") {
    const auto path = dir.write("kiosk.toml", "data_dir = \"/x\"\n\ndefault_language = \"xx\"\n");
    auto config = kiosk::load_config(path, true);
    REQUIRE_FALSE(config.ok());
    const std::string& message = config.error().message;
    CHECK_THAT(message, Catch::Contains(path + ":3:") && Catch::Contains("default_language must be one of") &&
                            Catch::Contains("en, es, vi, zh, ar, fr, ko"));
  }
  SECTION("not a string") {
    const auto path = dir.write("kiosk.toml", "default_language = 7\n");
    auto config = kiosk::load_config(path, true);
    REQUIRE_FALSE(config.ok());
    CHECK_THAT(config.error().message,
               Catch::Contains(path + ":1:") && Catch::Contains("default_language must be one of"));
  }
}

namespace {

// The [hours] and [scope] examples of deploy/kiosk.example.toml, uncommented.
std::string uncommented_site_examples() {
  std::ifstream in(FK_DEPLOY "/kiosk.example.toml");
  std::string line, out;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line == "# [hours]" || line == "# [scope]") inside = true;
    if (inside && line.rfind("# ", 0) != 0) inside = false;
    if (inside) out += line.substr(2) + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("no [hours] table means always open and no [scope] keeps the built-in texts") {
  auto config = kiosk::load_config(FK_DEPLOY "/kiosk.example.toml", true);
  REQUIRE(config.ok());
  CHECK(config->hours.always_open());
  CHECK(config->scope.help.empty());
  CHECK(config->scope.complaints.empty());
  CHECK(config->scope.note_readers.empty());
}

TEST_CASE("the commented [hours] and [scope] examples in deploy/ are valid when uncommented") {
  test_support::TempDir dir;
  const std::string text = uncommented_site_examples();
  REQUIRE_THAT(text, Catch::Contains("[hours]") && Catch::Contains("[scope]"));
  auto config = kiosk::load_config(dir.write("kiosk.toml", text), true);
  INFO((config ? std::string() : config.error().message));
  REQUIRE(config.ok());
  CHECK(config->hours.time_zone() == "America/Los_Angeles");
  CHECK_FALSE(config->hours.always_open());
  CHECK_THAT(config->scope.help.at("es"), Catch::Contains("recepción"));
  CHECK(config->scope.complaints.count("en") == 1);
  CHECK(config->scope.complaints.count("fr") == 0);  // French falls back to the catalog, not to English
  CHECK_THAT(config->scope.note_readers.at("en"), Catch::Contains("watch commander"));
  CHECK(config->scope.note_readers.count("ko") == 0);
}

TEST_CASE("[hours] refusals name file line and reason") {
  test_support::TempDir dir;
  struct Case {
    const char* toml;
    int line;
    const char* reason;
  };
  const Case cases[] = {
      {"[hours]\ntime_zone = \"America/Los_Angeles\"\nmon = [\"08:00-12:00\", \"22:00-02:00\"]\n", 3,
       "cross midnight"},
      {"[hours]\ntime_zone = \"America/Los_Angeles\"\n\ntue = [\"08:00-12:00\", \"11:00-13:00\"]\n", 4,
       "overlaps"},
      {"[hours]\ntime_zone = \"Mars/Olympus_Mons\"\n", 2, "unknown time zone"},
      {"[hours]\ntime_zone = \"UTC\"\nmonday = [\"08:00-12:00\"]\n", 3, "unknown key \"monday\" in [hours]"},
      {"[hours]\ntime_zone = \"UTC\"\nwed = \"08:00-12:00\"\n", 3, "must be a list of ranges"},
      {"[hours]\ntime_zone = \"UTC\"\nthu = [\"8am-5pm\"]\n", 3, "HH:MM-HH:MM"},
      {"[hours]\nmon = [\"08:00-12:00\"]\n", 1, "needs time_zone"},
      {"\n\n[scope]\nhelp = { en = \"Ask at the desk.\", xx = \"?\" }\n", 4,
       "\"xx\" is not a kiosk language"},
      {"[scope]\ncomplaints = \"Ask at the desk.\"\n", 2, "table of texts by language"},
      {"[scope]\nhelp = { en = \"\" }\n", 2, "1 to 600 bytes"},
      {"[scope]\nnote_readers = \"The supervisor.\"\n", 2,
       "note_readers must be a table of texts by language"},
      {"[scope]\nnote_readers = { en = \"ok\" }\nreaders = { en = \"?\" }\n", 3,
       "unknown key \"readers\" in [scope]"},
  };
  for (const Case& c : cases) {
    const auto path = dir.write("kiosk.toml", c.toml);
    auto config = kiosk::load_config(path, true);
    INFO(c.toml);
    REQUIRE_FALSE(config.ok());
    CHECK_THAT(config.error().message,
               Catch::Contains(path + ":" + std::to_string(c.line) + ":") && Catch::Contains(c.reason));
  }
}

TEST_CASE("[hours] days not listed are closed and [scope] keeps each language's text") {
  test_support::TempDir dir;
  const auto path =
      dir.write("kiosk.toml",
                "[hours]\ntime_zone = \"UTC\"\nmon = [\"08:00-12:00\"]\nsun = []\n"
                "[scope]\nhelp = { en = \"Ask Sergeant Diaz.\", ko = \"안내 데스크에 문의하세요.\" }\n");
  auto config = kiosk::load_config(path, true);
  REQUIRE(config.ok());
  // Monday 2026-11-16 09:00 UTC is open; Tuesday at the same time is not (not listed).
  CHECK(config->hours.is_open(1'794'819'600));
  CHECK_FALSE(config->hours.is_open(1'794'819'600 + 86'400));
  CHECK(config->scope.help.at("ko") == "안내 데스크에 문의하세요.");
  CHECK(config->scope.help.count("es") == 0);
}
