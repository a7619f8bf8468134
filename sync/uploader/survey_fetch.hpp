// Fetching the kiosk's surveys from the centre (GET /api/v1/surveys) with a conditional GET: the last ETag
// goes in If-None-Match, so an unchanged set costs a 304 and no body. A new set is validated whole (every
// survey parses, its id, version and SHA-256 match) before it replaces the last good set on disk.
#pragma once

#include <string>

#include "sync/uploader/http_client.hpp"
#include "sync/uploader/sync_status.hpp"

namespace fk::uploader {

struct SurveyFetchOutcome {
  SyncError error = SyncError::None;
  std::string message{};  // why the set was not taken (empty on success)
  bool updated = false;   // a new set is on disk
  std::string site{};     // the site the centre says the kiosk serves (200 only)
};

// `dir` is <data_dir>/surveys. Anything wrong with a 200's body is Rejected and leaves the last good set.
SurveyFetchOutcome fetch_surveys(HttpClient& client, const std::string& url, const std::string& token,
                                 const std::string& dir);

}  // namespace fk::uploader
