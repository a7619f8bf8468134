#include "kiosk/survey_source.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <system_error>

#include "sync/model/survey_parser.hpp"
#include "sync/uploader/survey_cache.hpp"

namespace fk::kiosk {

SurveySource::SurveySource(std::optional<std::string> path, std::string data_dir, std::string_view embedded,
                           Log log)
    : path_(std::move(path)),
      last_good_path_(data_dir + "/last-good-survey.toml"),
      centre_dir_(data_dir + "/surveys"),
      embedded_text_(embedded),
      log_(std::move(log)) {}

std::shared_ptr<const model::SurveyDefinition> SurveySource::try_file(const std::string& path,
                                                                      bool keep_copy) {
  auto parsed = model::load_survey_file(path);
  if (!parsed) {
    for (const auto& e : parsed.error()) log_("survey rejected: " + e.to_string());
    return nullptr;
  }
  if (keep_copy) {
    std::error_code ec;
    std::filesystem::copy_file(path, last_good_path_, std::filesystem::copy_options::overwrite_existing, ec);
    // copy_file gives the copy the original's mode, umask or not: the kiosk's own files are for it alone.
    if (!ec) {
      std::filesystem::permissions(
          last_good_path_, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
    }
    if (ec) log_("cannot keep a copy of the survey at " + last_good_path_ + ": " + ec.message());
  }
  file_survey_ = std::make_shared<const model::SurveyDefinition>(std::move(parsed.value()));
  file_origin_ = path;
  file_runs_ = true;
  return run(file_survey_, path);
}

std::shared_ptr<const model::SurveyDefinition> SurveySource::run(
    std::shared_ptr<const model::SurveyDefinition> survey, std::string origin) {
  origin_ = std::move(origin);
  return current_ = std::move(survey);
}

std::shared_ptr<const model::SurveyDefinition> SurveySource::embedded() {
  if (embedded_) return embedded_;
  auto parsed = model::parse_survey(embedded_text_, "<embedded lobby.toml>");
  if (!parsed) {
    // Unreachable unless the build embedded a broken file; the test suite parses the same bytes.
    for (const auto& e : parsed.error()) log_("embedded survey rejected: " + e.to_string());
    return embedded_ = std::make_shared<const model::SurveyDefinition>();
  }
  return embedded_ = std::make_shared<const model::SurveyDefinition>(std::move(parsed.value()));
}

std::optional<SurveySource::FileStamp> SurveySource::manifest_stamp() const {
  struct stat st {};
  const std::string manifest = centre_dir_ + "/" + uploader::kSurveyManifest;
  if (::stat(manifest.c_str(), &st) != 0) return std::nullopt;
  return FileStamp{static_cast<unsigned long long>(st.st_ino),
                   static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec,
                   static_cast<long long>(st.st_size)};
}

void SurveySource::load_centre() {
  seen_manifest_ = manifest_stamp();
  auto cache = uploader::read_survey_cache(centre_dir_);
  if (!cache) {
    log_("surveys from the centre unreadable, keeping the ones in use: " + cache.error().message);
    return;
  }
  std::vector<std::shared_ptr<const model::SurveyDefinition>> surveys;
  std::shared_ptr<const model::SurveyDefinition> lobby;
  for (const uploader::CachedSurvey& entry : cache->surveys) {
    auto parsed = model::load_survey_file(entry.path);
    if (!parsed) {
      for (const auto& e : parsed.error()) log_("survey from the centre rejected: " + e.to_string());
      continue;
    }
    if (parsed->id != entry.id || parsed->version != entry.version) {
      log_("survey from the centre rejected: " + entry.path + " is not " + entry.id + " version " +
           std::to_string(entry.version));
      continue;
    }
    auto survey = std::make_shared<const model::SurveyDefinition>(std::move(parsed.value()));
    auto same_id =
        std::find_if(surveys.begin(), surveys.end(), [&](const auto& s) { return s->id == survey->id; });
    if (same_id == surveys.end()) {
      surveys.push_back(survey);
    } else if ((*same_id)->version < survey->version) {
      *same_id = survey;
    }
    if (entry.lobby) lobby = survey;
  }
  centre_ = std::move(surveys);
  centre_lobby_ = std::move(lobby);
  centre_site_ = cache->site;
}

bool SurveySource::from_centre(const model::SurveyDefinition* survey) const {
  return std::any_of(centre_.begin(), centre_.end(), [&](const auto& s) { return s.get() == survey; });
}

std::string SurveySource::describe(const model::SurveyDefinition* survey) const {
  if (survey == embedded_.get()) return "embedded default (lobby.toml)";
  if (survey == centre_lobby_.get()) return "the centre (lobby survey of site '" + centre_site_ + "')";
  if (from_centre(survey)) return "the centre (chosen by staff)";
  return origin_;
}

std::shared_ptr<const model::SurveyDefinition> SurveySource::initial() {
  embedded();  // parsed once, so available() always offers it
  load_centre();
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
  const auto first = centre_lobby_ ? centre_lobby_ : embedded();
  return run(first, describe(first.get()));
}

std::shared_ptr<const model::SurveyDefinition> SurveySource::reload_if_changed() {
  std::shared_ptr<const model::SurveyDefinition> next;
  if (path_) {
    std::error_code ec;
    const auto mtime = std::filesystem::last_write_time(*path_, ec);
    if (!ec && !(seen_mtime_ && *seen_mtime_ == mtime)) {
      seen_mtime_ = mtime;
      next = try_file(*path_, true);
      if (next) log_("survey reloaded: " + next->id + " version " + std::to_string(next->version));
    }
  }
  if (manifest_stamp() == seen_manifest_) return next;
  const bool was_from_centre = from_centre(current_.get());
  const std::string running_id = current_ ? current_->id : "";
  load_centre();
  if (file_runs_) return next;  // a configured file wins; the centre's surveys are only offered to staff
  // The running survey's new version when the centre still offers it, else the site's lobby survey. A survey
  // staff chose (an event's) keeps running while it is available, whatever the centre's lobby survey is.
  std::shared_ptr<const model::SurveyDefinition> wanted = centre_lobby_;
  if (!chosen_id_.empty()) {
    for (const auto& s : available()) {
      if (s->id == chosen_id_) wanted = s;
    }
  }
  if (was_from_centre) {
    for (const auto& s : centre_) {
      if (s->id == running_id) wanted = s;
    }
  }
  if (!wanted) wanted = embedded();
  if (current_ && wanted->id == current_->id && wanted->version == current_->version) {
    if (from_centre(wanted.get())) current_ = wanted;  // same survey, now from the new set
    return next;
  }
  log_("survey from the centre: " + wanted->id + " version " + std::to_string(wanted->version) +
       " from the next visit on");
  return run(wanted, describe(wanted.get()));
}

std::vector<std::shared_ptr<const model::SurveyDefinition>> SurveySource::available() const {
  if (!current_) return {};
  std::vector<std::shared_ptr<const model::SurveyDefinition>> out;
  // In order of preference when two have the same id and version.
  auto offer = [&](const std::shared_ptr<const model::SurveyDefinition>& survey) {
    if (!survey) return;
    auto same_id = std::find_if(out.begin(), out.end(), [&](const auto& s) { return s->id == survey->id; });
    if (same_id == out.end()) {
      out.push_back(survey);
    } else if ((*same_id)->version < survey->version) {
      *same_id = survey;
    }
  };
  offer(current_);
  offer(file_survey_);
  for (const auto& s : centre_) offer(s);
  offer(embedded_);
  return out;
}

std::shared_ptr<const model::SurveyDefinition> SurveySource::site_default() {
  chosen_id_.clear();
  if (file_survey_) return run(file_survey_, file_origin_);
  const auto survey = centre_lobby_ ? centre_lobby_ : embedded();
  return run(survey, describe(survey.get()));
}

std::shared_ptr<const model::SurveyDefinition> SurveySource::choose(const std::string& id) {
  for (auto& survey : available()) {
    if (survey->id == id) {
      chosen_id_ = id;
      return run(survey, describe(survey.get()));
    }
  }
  return nullptr;
}

}  // namespace fk::kiosk
