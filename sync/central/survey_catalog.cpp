#include "sync/central/survey_catalog.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "sync/model/response.hpp"

namespace fk::central {

std::vector<KioskSurvey> surveys_for_site(const std::string& site,
                                          const std::vector<PublishedSurvey>& published,
                                          const std::vector<SurveyAssignment>& assignments) {
  std::map<std::string, const PublishedSurvey*> newest;
  for (const PublishedSurvey& s : published) {
    const PublishedSurvey*& slot = newest[s.id];
    if (slot == nullptr || s.version > slot->version) slot = &s;
  }
  std::vector<KioskSurvey> out;
  std::map<std::string, std::size_t> index;  // survey id → position in out
  auto entry = [&](const std::string& id) -> KioskSurvey* {
    const auto found = newest.find(id);
    if (found == newest.end()) return nullptr;  // assigned but never published: nothing to send
    auto [it, added] = index.emplace(id, out.size());
    if (added) out.push_back(KioskSurvey{*found->second, false, {}});
    return &out[it->second];
  };
  for (const SurveyAssignment& a : assignments) {
    if (a.kind == AssignmentKind::Site && a.target == site) {
      if (KioskSurvey* k = entry(a.survey_id)) k->lobby = true;
    }
  }
  for (const SurveyAssignment& a : assignments) {
    if (a.kind == AssignmentKind::Event) {
      if (KioskSurvey* k = entry(a.survey_id)) k->events.push_back(a.target);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const KioskSurvey& a, const KioskSurvey& b) {
    if (a.lobby != b.lobby) return a.lobby;
    return a.survey.id < b.survey.id;
  });
  for (KioskSurvey& k : out) std::sort(k.events.begin(), k.events.end());
  return out;
}

std::string surveys_body(const std::string& site, const std::vector<KioskSurvey>& surveys) {
  nlohmann::json list = nlohmann::json::array();
  for (const KioskSurvey& k : surveys) {
    list.push_back({{"id", k.survey.id},
                    {"version", k.survey.version},
                    {"sha256", k.survey.sha256},
                    {"lobby", k.lobby},
                    {"events", k.events},
                    {"toml", k.survey.toml}});
  }
  return nlohmann::json{{"site", site}, {"surveys", std::move(list)}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string strong_etag(std::string_view body) {
  return "\"" + model::payload_hash(std::string(body)) + "\"";
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  auto opaque = [](std::string_view tag) {
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    return tag;
  };
  while (!if_none_match.empty()) {
    const auto comma = if_none_match.find(',');
    const std::string_view tag = opaque(if_none_match.substr(0, comma));
    if (tag == "*" || (!tag.empty() && tag == opaque(etag))) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace fk::central
