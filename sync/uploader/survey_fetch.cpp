#include "sync/uploader/survey_fetch.hpp"

#include <nlohmann/json.hpp>

#include "sync/model/response.hpp"
#include "sync/model/survey_parser.hpp"
#include "sync/uploader/delivery.hpp"
#include "sync/uploader/survey_cache.hpp"

namespace fk::uploader {
namespace {

using nlohmann::json;

// The body as a validated set, or why it was refused.
Expected<std::pair<SurveyCache, std::vector<std::string>>> read_body(const std::string& body) {
  const json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Error{"the answer is not a JSON object"};
  try {
    SurveyCache cache;
    std::vector<std::string> tomls;
    cache.site = j.at("site").get<std::string>();
    for (const json& s : j.at("surveys")) {
      CachedSurvey c = survey_entry(s);
      std::string toml = s.at("toml").get<std::string>();
      const std::string name =
          "survey " + c.id + " version " + std::to_string(c.version) + " from the centre";
      if (model::payload_hash(toml) != c.sha256) return Error{name + ": its text does not match its sha256"};
      auto parsed = model::parse_survey(toml, name);
      if (!parsed) return Error{parsed.error().front().to_string()};
      if (parsed->id != c.id || parsed->version != c.version) {
        return Error{name + ": the text says " + parsed->id + " version " + std::to_string(parsed->version)};
      }
      cache.surveys.push_back(std::move(c));
      tomls.push_back(std::move(toml));
    }
    return std::pair{std::move(cache), std::move(tomls)};
  } catch (const json::exception& e) {
    return Error{std::string("the answer is not a survey list: ") + e.what()};
  }
}

}  // namespace

SurveyFetchOutcome fetch_surveys(HttpClient& client, const std::string& url, const std::string& token,
                                 const std::string& dir) {
  std::string etag;
  if (auto cached = read_survey_cache(dir); cached)
    etag = cached->etag;  // a damaged manifest: fetch all again
  auto reply = client.get(url, token, etag);
  if (!reply) {
    const TransportError& e = reply.error();
    if (e.kind == TransportErrorKind::Cancelled) return {SyncError::Cancelled, "stopped", false, {}};
    return {SyncError::Offline,
            std::string("surveys: no answer (") + to_string(e.kind) + "): " + e.message,
            false,
            {}};
  }
  const long status = reply->status;
  if (status == 304) return {};
  if (status != 200) {
    const std::string detail = describe_error_body(reply->body);
    const std::string what = "HTTP " + std::to_string(status) + (detail.empty() ? "" : " " + detail);
    if (status == 401 || status == 403)
      return {SyncError::NotAuthorised, "surveys refused: " + what, false, {}};
    return {SyncError::Offline, "surveys not sent: " + what, false, {}};
  }
  if (reply->body_truncated) {
    return {
        SyncError::Rejected,
        "surveys from the centre ignored: larger than " + std::to_string(kMaxResponseBodyBytes) + " bytes",
        false,
        {}};
  }
  auto set = read_body(reply->body);
  if (!set)
    return {SyncError::Rejected, "surveys from the centre ignored: " + set.error().message, false, {}};
  set->first.etag = reply->etag;
  if (auto written = write_survey_cache(dir, set->first, set->second); !written) {
    return {SyncError::LocalStore, "surveys from the centre not kept: " + written.error().message, false, {}};
  }
  return {SyncError::None, {}, true, set->first.site};
}

}  // namespace fk::uploader
