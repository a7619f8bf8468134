// The catalogs at run time: the embedded ones translate, plural forms follow each language's rule, a
// catalog directory works without system locales, and a missing or broken catalog falls back to English with
// a logged warning instead of a crash or an empty string.
#include "kiosk/i18n/catalog.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "kiosk/i18n/languages.hpp"
#include "kiosk/ui/messages.hpp"
#include "support/temp_dir.hpp"

using namespace fk;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> logged;
void log_to_vector(const std::string& m) {
  logged.push_back(m);
}

void write_file(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace

TEST_CASE("every embedded catalog loads and translates the UI") {
  logged.clear();
  const auto catalogs =
      i18n::Catalogs::load(i18n::embedded_catalogs(), i18n::supported_tags(), log_to_vector);
  CHECK(logged.empty());
  CHECK(catalogs.all().size() == 6);  // all but English
  for (const std::string& tag : i18n::supported_tags()) {
    INFO(tag);
    const char* start = catalogs.get(tag).text(ui::msg::kTouchToStart);
    CHECK(std::string(start).size() > 0);
    CHECK((std::string(start) == ui::msg::kTouchToStart) == (tag == "en"));
  }
  CHECK(std::string(catalogs.get("es").text(ui::msg::kBack)) == "Atrás");
  CHECK(std::string(catalogs.get("es-MX").text(ui::msg::kBack)) == "Atrás");  // a region uses its language
  CHECK(std::string(catalogs.get("de").text(ui::msg::kBack)) == "Back");      // unsupported: English
}

TEST_CASE("plural forms follow each language's Plural-Forms") {
  const auto catalogs =
      i18n::Catalogs::load(i18n::embedded_catalogs(), i18n::supported_tags(), log_to_vector);
  const auto& m = ui::msg::kEndingIn;
  // English (no catalog): one / other.
  CHECK(std::string(catalogs.get("en").plural(m.singular, m.plural, 1)) == m.singular);
  CHECK(std::string(catalogs.get("en").plural(m.singular, m.plural, 5)) == m.plural);
  // French counts 0 and 1 as singular; Spanish only 1.
  const auto& fr = catalogs.get("fr");
  CHECK(std::string(fr.plural(m.singular, m.plural, 0)) == fr.plural(m.singular, m.plural, 1));
  CHECK(std::string(fr.plural(m.singular, m.plural, 1)) != fr.plural(m.singular, m.plural, 2));
  const auto& es = catalogs.get("es");
  CHECK(std::string(es.plural(m.singular, m.plural, 0)) == es.plural(m.singular, m.plural, 2));
  CHECK(std::string(es.plural(m.singular, m.plural, 1)) != es.plural(m.singular, m.plural, 2));
  // Arabic has six forms: 0, 1, 2, 3-10, 11-99, 100-102 pick different entries.
  const auto& ar = catalogs.get("ar");
  CHECK(std::string(ar.plural(m.singular, m.plural, 2)) != ar.plural(m.singular, m.plural, 5));
  CHECK(std::string(ar.plural(m.singular, m.plural, 5)) != ar.plural(m.singular, m.plural, 11));
  CHECK(std::string(ar.plural(m.singular, m.plural, 3)) == ar.plural(m.singular, m.plural, 10));
}

TEST_CASE("a catalog directory is read without any system locale") {
  fk::test_support::TempDir dir("fk-catalogs");
  const std::string es = i18n::embedded_catalogs()("es");
  REQUIRE_FALSE(es.empty());
  write_file(dir.path() / "es/LC_MESSAGES/feedback-kiosk.mo", es);
  logged.clear();
  const auto catalogs = i18n::Catalogs::load(i18n::catalogs_in_directory(dir.path().string()),
                                             {"en", "es", "vi"}, log_to_vector);
  CHECK(std::string(catalogs.get("es").text(ui::msg::kNext)) == "Siguiente");
  // vi has no file there: English, and the log says so.
  CHECK(std::string(catalogs.get("vi").text(ui::msg::kNext)) == "Next");
  REQUIRE(logged.size() == 1);
  CHECK(logged[0].find("no catalog for \"vi\"") != std::string::npos);
  CHECK(logged[0].find("English") != std::string::npos);
}

TEST_CASE("a broken catalog falls back to English with a logged warning") {
  fk::test_support::TempDir dir("fk-catalogs");
  write_file(dir.path() / "fr/LC_MESSAGES/feedback-kiosk.mo", "this is not a compiled catalog at all");
  std::string truncated = i18n::embedded_catalogs()("ko").substr(0, 40);  // the header, then nothing
  write_file(dir.path() / "ko/LC_MESSAGES/feedback-kiosk.mo", truncated);
  logged.clear();
  const auto catalogs =
      i18n::Catalogs::load(i18n::catalogs_in_directory(dir.path().string()), {"fr", "ko"}, log_to_vector);
  CHECK(std::string(catalogs.get("fr").text(ui::msg::kDone)) == "Done");
  CHECK(std::string(catalogs.get("ko").text(ui::msg::kDone)) == "Done");
  REQUIRE(logged.size() == 2);
  CHECK(logged[0].find("\"fr\" unusable") != std::string::npos);
  CHECK(logged[1].find("\"ko\" unusable") != std::string::npos);
}
