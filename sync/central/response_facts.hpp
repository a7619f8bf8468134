// What the centre copies out of a response for analysts and supervisors, at ingest: the day it counts under,
// its ratings with their pillars, and a thank-you note with the employee it names. The surveys the centre
// knows say which question is what; free text that is not a thank-you note and contact details are never
// copied out of the payload.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sync/central/central_store.hpp"
#include "sync/model/response.hpp"
#include "sync/model/survey.hpp"

namespace fk::central {

// The surveys the centre knows (the embedded lobby survey, --survey files and published surveys), by id: every
// question any version of a survey had, with its kind, pillar and whether it is a thank-you note.
class SurveyRegistry {
 public:
  void add(const model::SurveyDefinition& survey);
  // Null when the survey or the question is unknown.
  const model::Question* question(const std::string& survey_id, const std::string& question_id) const;
  std::vector<std::string> survey_ids() const;
  // Whether this exact version was added.
  bool knows(const std::string& survey_id, std::int64_t version) const;

 private:
  std::map<std::string, std::map<std::string, model::Question>> surveys_;
  std::set<std::pair<std::string, std::int64_t>> versions_;
};

// The lobby survey (`embedded_lobby`, the TOML built into the binary) and `files`; an error names a file that
// does not parse, with its first mistake.
Expected<std::shared_ptr<const SurveyRegistry>> load_surveys(std::string_view embedded_lobby,
                                                             const std::vector<std::string>& files);

// A copy of `base` with every survey in `published` it does not know yet (by id and version) added. A
// published text that does not parse (impossible unless the database was edited by hand) is skipped and
// described in `problems`.
std::shared_ptr<const SurveyRegistry> with_published(const SurveyRegistry& base,
                                                     const std::vector<PublishedSurvey>& published,
                                                     std::vector<std::string>& problems);

// Fills item.day, item.event, item.misuse, item.ratings, item.thanks_note and item.employee from `response`. The day is the kiosk's
// (completed_at) when it is a plausible date no later than the day after `received_at`; otherwise the
// centre's. An integer answer to a question the registry does not know counts as a rating without a pillar;
// a note is taken only from a question the registry marks thanks_note.
void fill_facts(IngestItem& item, const model::Response& response, const SurveyRegistry& surveys,
                const std::string& received_at);

}  // namespace fk::central
