// Which survey the kiosk runs: the configured file when it is valid, else the last good copy kept in the
// data directory, else the site's lobby survey from the centre (fetched by the uploader into
// <data_dir>/surveys), else the embedded lobby survey. A configured file wins over the centre. A bad file is
// logged and never replaces a good survey.
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
  // A survey to run from the next visit on, else null: the configured file changed and is valid, or (without a
  // configured file) the centre sent a new set in which the running survey, or the site's lobby survey, has
  // another version. Cheap enough to call on every tick: without a change it costs two stat calls.
  std::shared_ptr<const model::SurveyDefinition> reload_if_changed();
  // Every survey this kiosk can run, for staff to choose from: the running one, the configured file's, the
  // centre's (newest version per id) and the embedded lobby survey; one per id, the highest version. Never
  // empty after initial().
  std::vector<std::shared_ptr<const model::SurveyDefinition>> available() const;
  // Staff chose survey `id` (one of available()): returned so the caller can hand it to the flow, which
  // starts it at the next visit. Null when no such survey is available.
  std::shared_ptr<const model::SurveyDefinition> choose(const std::string& id);
  // The survey the kiosk runs when nobody chose one (an event ended): the configured file's, else the site's
  // lobby survey from the centre, else the embedded one. It becomes the running survey. Never null after
  // initial().
  std::shared_ptr<const model::SurveyDefinition> site_default();
  // Where the running survey came from, for `status` and the log.
  const std::string& origin() const { return origin_; }
  bool watches_a_file() const { return path_.has_value(); }

 private:
  // The identity of the centre's manifest file (it is replaced by rename, so inode, time and size change).
  struct FileStamp {
    unsigned long long inode = 0;
    long long mtime_ns = 0;
    long long size = 0;
    bool operator==(const FileStamp&) const = default;
  };
  std::shared_ptr<const model::SurveyDefinition> try_file(const std::string& path, bool keep_copy);
  std::optional<FileStamp> manifest_stamp() const;
  // Reads the centre's current set into centre_ / centre_lobby_ (bad entries are logged and skipped).
  void load_centre();
  std::shared_ptr<const model::SurveyDefinition> embedded();
  std::shared_ptr<const model::SurveyDefinition> run(std::shared_ptr<const model::SurveyDefinition> survey,
                                                     std::string origin);
  bool from_centre(const model::SurveyDefinition* survey) const;
  // Where `survey` comes from, for origin().
  std::string describe(const model::SurveyDefinition* survey) const;

  std::optional<std::string> path_;
  std::string last_good_path_;
  std::string centre_dir_;
  std::string_view embedded_text_;
  Log log_;
  std::optional<std::filesystem::file_time_type> seen_mtime_;
  std::optional<FileStamp> seen_manifest_;
  bool file_runs_ = false;  // the configured file (or its last good copy) is running
  std::string origin_;
  std::shared_ptr<const model::SurveyDefinition> current_;  // the last survey handed out
  std::shared_ptr<const model::SurveyDefinition> file_survey_;
  std::string file_origin_;
  std::string
      chosen_id_;  // staff chose this survey: it keeps running through the centre's updates  // the file it was read from (the configured one or its last good copy)
  std::shared_ptr<const model::SurveyDefinition> embedded_;
  std::vector<std::shared_ptr<const model::SurveyDefinition>> centre_;  // newest version per id
  std::shared_ptr<const model::SurveyDefinition> centre_lobby_;         // the site's, when the centre set one
  std::string centre_site_;
};

}  // namespace fk::kiosk
