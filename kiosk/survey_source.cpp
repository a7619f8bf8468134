#include "kiosk/survey_source.hpp"

#include <system_error>

#include "sync/model/survey_parser.hpp"

namespace fk::kiosk {

SurveySource::SurveySource(std::optional<std::string> path, std::string data_dir, std::string_view embedded,
                           Log log)
    : path_(std::move(path)),
      last_good_path_(std::move(data_dir) + "/last-good-survey.toml"),
      embedded_(embedded),
      log_(std::move(log)) {}

std::shared_ptr<const model::SurveyDefinition> SurveySource::try_file(const std::string& path, bool keep_copy) {
  auto parsed = model::load_survey_file(path);
  if (!parsed) {
    for (const auto& e : parsed.error()) log_("survey rejected: " + e.to_string());
    return nullptr;
  }
  if (keep_copy) {
    std::error_code ec;
    std::filesystem::copy_file(path, last_good_path_, std::filesystem::copy_options::overwrite_existing, ec);
    if (ec) log_("cannot keep a copy of the survey at " + last_good_path_ + ": " + ec.message());
  }
  origin_ = path;
  current_ = std::make_shared<const model::SurveyDefinition>(std::move(parsed.value()));
  return current_;
}

std::shared_ptr<const model::SurveyDefinition> SurveySource::initial() {
  if (path_) {
    std::error_code ec;
    seen_mtime_ = std::filesystem::last_write_time(*path_, ec);
    if (ec) seen_mtime_.reset();
    if (auto s = try_file(*path_, true)) return s;
    std::error_code exists_ec;
    if (std::filesystem::exists(last_good_path_, exists_ec)) {
      if (auto s = try_file(last_good_path_, false)) {
        log_("running the last good survey: " + last_good_path_);
        return s;
      }
    }
  }
  auto parsed = model::parse_survey(embedded_, "<embedded lobby.toml>");
  origin_ = "embedded default (lobby.toml)";
  if (!parsed) {
    // Unreachable unless the build embedded a broken file; the test suite parses the same bytes.
    for (const auto& e : parsed.error()) log_("embedded survey rejected: " + e.to_string());
    return current_ = std::make_shared<const model::SurveyDefinition>();
  }
  return current_ = std::make_shared<const model::SurveyDefinition>(std::move(parsed.value()));
}

std::shared_ptr<const model::SurveyDefinition> SurveySource::reload_if_changed() {
  if (!path_) return nullptr;
  std::error_code ec;
  const auto mtime = std::filesystem::last_write_time(*path_, ec);
  if (ec || (seen_mtime_ && *seen_mtime_ == mtime)) return nullptr;
  seen_mtime_ = mtime;
  auto survey = try_file(*path_, true);
  if (survey) log_("survey reloaded: " + survey->id + " version " + std::to_string(survey->version));
  return survey;
}

std::vector<std::shared_ptr<const model::SurveyDefinition>> SurveySource::available() const {
  if (!current_) return {};
  return {current_};
}

std::shared_ptr<const model::SurveyDefinition> SurveySource::choose(const std::string& id) {
  for (auto& survey : available()) {
    if (survey->id == id) return survey;
  }
  return nullptr;
}

}  // namespace fk::kiosk
