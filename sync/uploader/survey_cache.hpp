// The surveys the kiosk fetched from the centre, kept under <data_dir>/surveys/: one file per survey text,
// named by its SHA-256 and written once, and manifest.json, replaced atomically (temp + fsync + rename) after
// them, which names the current set, the site's lobby survey and the ETag it came with. A crash at any point
// leaves the previous manifest, and so the previous set, whole.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "sync/model/expected.hpp"

namespace fk::uploader {

inline constexpr const char* kSurveyManifest = "manifest.json";
// A manifest is a short list; anything larger is not one of ours.
inline constexpr std::size_t kMaxManifestBytes = 256 * 1024;

struct CachedSurvey {
  std::string id;
  std::int64_t version = 0;
  std::string sha256;
  bool lobby = false;               // the site's lobby survey
  std::vector<std::string> events;  // the events it is offered for
  std::string path;                 // the TOML file (read_survey_cache fills it)
};

struct SurveyCache {
  std::string etag;  // empty: none yet
  std::string site;
  std::vector<CachedSurvey> surveys;
};

// One survey's entry as the centre's answer and the manifest both write it (id, version, sha256, lobby,
// events); throws nlohmann::json::exception when a key is missing or of the wrong type. `path` is left empty.
CachedSurvey survey_entry(const nlohmann::json& entry);

// The current set; an empty one when nothing was fetched yet. An unreadable or damaged manifest is an error.
Expected<SurveyCache> read_survey_cache(const std::string& dir);

// Makes `surveys` (each with its TOML text, by index) the current set, creating `dir` when needed; files no
// longer named are removed afterwards.
Expected<Ok> write_survey_cache(const std::string& dir, const SurveyCache& cache,
                                const std::vector<std::string>& tomls);

}  // namespace fk::uploader
