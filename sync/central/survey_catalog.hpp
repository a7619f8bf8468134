// Which published surveys a kiosk runs, and GET /api/v1/surveys's body and ETag: a site's lobby survey is the
// newest version of the survey assigned to that site; each event's survey is the newest version of the
// survey assigned to the event (offered to every kiosk, since a liaison may take any kiosk to an event).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sync/central/central_store.hpp"

namespace fk::central {

struct KioskSurvey {
  PublishedSurvey survey;
  bool lobby = false;               // the site's lobby survey
  std::vector<std::string> events;  // the events it is assigned to
};

// The site's lobby survey first (when one is assigned), then event surveys by id.
std::vector<KioskSurvey> surveys_for_site(const std::string& site,
                                          const std::vector<PublishedSurvey>& published,
                                          const std::vector<SurveyAssignment>& assignments);

// {"site": …, "surveys": [{"id", "version", "sha256", "lobby", "events", "toml"}, …]}
std::string surveys_body(const std::string& site, const std::vector<KioskSurvey>& surveys);

// A strong entity tag over `body`: its SHA-256 in quotes.
std::string strong_etag(std::string_view body);
// True when an If-None-Match header value names `etag` (or is "*"). Weak tags (W/"…") compare by their value,
// as RFC 9110 asks for If-None-Match.
bool etag_matches(std::string_view if_none_match, std::string_view etag);

}  // namespace fk::central
