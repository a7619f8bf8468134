// Realistic lobby responses for tests and benchmarks.
#pragma once

#include <random>
#include <string>

#include "sync/model/response.hpp"

namespace fk::test_support {

// A completed lobby visit: four ratings, a yes, a thank-you note (~180 chars) and the employee it thanks.
inline model::Response lobby_response(const std::string& uuid = model::new_uuid_v4(),
                                      const std::string& completed_at = "2026-11-22T07:39:02Z") {
  model::Response r;
  r.uuid = uuid;
  r.survey_id = "lobby-2026";
  r.survey_version = 3;
  r.language = "en";
  r.answers = {
      {"courtesy", 5},
      {"clarity", 4},
      {"wait", 3},
      {"overall", 5},
      {"would_recommend", true},
      {"note",
       std::string("Officer Alvarez took the time to explain the report process and helped me fill in "
                   "the form for my stolen bicycle. She was patient with my questions and kind to my "
                   "kids. Thank you!")},
      {"employee", std::string("Officer M. Alvarez")},
  };
  r.started_at = "2026-11-22T07:37:40Z";
  r.completed_at = completed_at;
  return r;
}

// A lobby visit drawn from `rng`, so a batch is not all the same bytes: varied ratings and language, often
// a thank-you note and the employee it names, and one in ten partial. The same seed gives the same visits
// (but for the uuid, always fresh).
inline model::Response lobby_response(std::mt19937_64& rng) {
  static const char* const kNotes[] = {
      "Officer Alvarez took the time to explain the report process and helped me fill in the form for my "
      "stolen bicycle. She was patient with my questions and kind to my kids. Thank you!",
      "The front desk was busy but the clerk kept us informed about the wait.",
      "Gracias por la paciencia y por explicarme todo en español.",
      "Cảm ơn anh đã giúp tôi điền đơn.",
      "",
  };
  static const char* const kLanguages[] = {"en", "es", "vi", "zh", "ar"};
  auto rating = [&rng] { return static_cast<int>(rng() % 5) + 1; };
  model::Response r;
  r.uuid = model::new_uuid_v4();
  r.survey_id = "lobby-2026";
  r.survey_version = 3;
  r.language = kLanguages[rng() % 5];
  r.answers = {{"courtesy", rating()},
               {"clarity", rating()},
               {"wait", rating()},
               {"overall", rating()},
               {"would_recommend", (rng() % 4) != 0}};
  if (const std::string note = kNotes[rng() % 5]; !note.empty()) {
    r.answers.push_back({"note", note});
    r.answers.push_back({"employee", std::string("Officer M. Alvarez")});
  }
  r.partial = (rng() % 10) == 0;
  r.started_at = "2026-11-22T07:37:40Z";
  r.completed_at = "2026-11-22T07:39:02Z";
  return r;
}

}  // namespace fk::test_support
