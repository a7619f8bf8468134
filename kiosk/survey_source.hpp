// Which survey the kiosk runs: the configured file when it is valid, else the last good copy kept in the
// data directory, else the embedded lobby survey. A bad file is logged and never replaces a good survey.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/model/survey.hpp"

namespace fk::kiosk {

class SurveySource {
 public:
  using Log = std::function<void(const std::string&)>;
  SurveySource(std::optional<std::string> path, std::string data_dir, std::string_view embedded, Log log);

  // The survey to start with. Never null: the embedded default is always valid (a test proves it).
  std::shared_ptr<const model::SurveyDefinition> initial();
  // A newer valid survey when the configured file changed since the last look, else null.
  std::shared_ptr<const model::SurveyDefinition> reload_if_changed();
  // Every survey this kiosk can run, for staff to choose from (the staff screen, an event's survey): today the
  // one initial()/reload_if_changed() gave; surveys fetched from the centre join it. Never empty after
  // initial().
  std::vector<std::shared_ptr<const model::SurveyDefinition>> available() const;
  // Staff chose survey `id` (one of available()): returned so the caller can hand it to the flow, which
  // starts it at the next visit. Null when no such survey is available.
  std::shared_ptr<const model::SurveyDefinition> choose(const std::string& id);
  // Where the running survey came from, for `status` and the log.
  const std::string& origin() const { return origin_; }
  bool watches_a_file() const { return path_.has_value(); }

 private:
  std::shared_ptr<const model::SurveyDefinition> try_file(const std::string& path, bool keep_copy);

  std::optional<std::string> path_;
  std::string last_good_path_;
  std::string_view embedded_;
  Log log_;
  std::optional<std::filesystem::file_time_type> seen_mtime_;
  std::string origin_;
  std::shared_ptr<const model::SurveyDefinition> current_;  // the last survey handed out
};

}  // namespace fk::kiosk
