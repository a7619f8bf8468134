#include "kiosk/cli.hpp"

#include <filesystem>
#include <ostream>

#include "kiosk/survey_source.hpp"
#include "sync/model/survey_parser.hpp"
#include "sync/store/sqlite_response_store.hpp"

namespace fk::kiosk {

int run_status(const KioskConfig& config, std::string_view embedded_survey, std::ostream& out, std::ostream& err) {
  out << "data directory: " << config.data_dir << "\n";
  SurveySource surveys(config.survey, config.data_dir, embedded_survey,
                       [&](const std::string& m) { err << "feedback-kiosk: " << m << "\n"; });
  const auto survey = surveys.initial();
  out << "active survey:  " << survey->id << " version " << survey->version << " (" << surveys.origin() << ")\n";
  std::error_code ec;
  if (!std::filesystem::exists(config.store_path(), ec)) {
    out << "responses:      none yet (" << config.store_path() << " does not exist)\n";
    return 0;
  }
  auto store = store::SqliteResponseStore::open(config.store_path());
  if (!store) {
    err << "feedback-kiosk: " << store.error().message << "\n";
    return 1;
  }
  auto counts = (*store)->counts();
  if (!counts) {
    err << "feedback-kiosk: " << counts.error().message << "\n";
    return 1;
  }
  out << "responses:      " << counts->total() << " (pending " << counts->pending << ", uploaded "
      << counts->uploaded << ", quarantined " << counts->quarantined << ")\n";
  return 0;
}

int run_survey_check(const std::string& file, std::ostream& out, std::ostream& err) {
  auto survey = model::load_survey_file(file);
  if (!survey) {
    for (const auto& e : survey.error()) err << e.to_string() << "\n";
    err << file << ": " << survey.error().size() << (survey.error().size() == 1 ? " error" : " errors") << "\n";
    return 1;
  }
  out << file << ": ok (survey \"" << survey->id << "\" version " << survey->version << ", "
      << survey->questions.size() << " questions)\n";
  return 0;
}

}  // namespace fk::kiosk
