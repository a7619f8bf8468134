// Small valid survey texts for the survey tests: `version` and `title` vary, so tests can publish a new
// version or change the bytes under an existing one.
#pragma once

#include <string>

#include "sync/central/central_store.hpp"
#include "sync/model/response.hpp"

namespace fk::test {

// A one-question survey whose rating has pillar "empathize" and whose note is a thank-you note.
inline std::string survey_toml(const std::string& id, int version, const std::string& title = "Fair survey") {
  return "id = \"" + id + "\"\nversion = " + std::to_string(version) + "\ntitle = \"" + title +
         "\"\n[[question]]\nid = \"kind\"\nkind = \"rating\"\npillar = \"empathize\"\ntext = \"Were we "
         "kind?\"\n"
         "[[question]]\nid = \"note\"\nkind = \"free_text\"\nthanks_note = true\nmax_length = 200\n"
         "text = \"Thank someone\"\n";
}

inline central::PublishedSurvey published(const std::string& id, int version,
                                          const std::string& title = "Fair survey") {
  const std::string toml = survey_toml(id, version, title);
  return central::PublishedSurvey{id, version, model::payload_hash(toml), toml, "2026-11-20T08:00:00Z"};
}

}  // namespace fk::test
