// Well-formed responses and batch items for the central tests: real payloads from serialise(), hashed.
#pragma once

#include <string>

#include "sync/model/response.hpp"
#include "sync/model/wire.hpp"

namespace fk::test {

inline model::Response sample_response(const std::string& note = "Thank you, Officer Diaz") {
  model::Response r;
  r.uuid = model::new_uuid_v4();
  r.survey_id = "lobby";
  r.survey_version = 1;
  r.language = "en";
  r.started_at = "2026-11-22T07:39:02Z";
  r.completed_at = "2026-11-22T07:40:15Z";
  r.answers = {{"overall", 4}, {"thank", true}, {"thanks_note", note}};
  return r;
}

inline model::BatchItem item_for(const model::Response& r) {
  const std::string payload = model::serialise(r);
  return model::BatchItem{r.uuid, model::payload_hash(payload), payload};
}

inline model::BatchItem sample_item(const std::string& note = "Thank you, Officer Diaz") {
  return item_for(sample_response(note));
}

}  // namespace fk::test
