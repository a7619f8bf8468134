// Which survey the kiosk runs: the configured file when it is valid, else the last good copy kept in the
// data directory, else the embedded lobby survey. A bad file is logged and never replaces a good survey.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

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
};

}  // namespace fk::kiosk
