// A resident's response to one visit, and its frozen wire form (canonical JSON + SHA-256).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "sync/model/expected.hpp"

namespace fk::model {

struct ContactAnswer {
  bool consent = false;
  std::string contact;  // kept only when consent is true
};

// rating → int (1..5); yes/no → bool; single/multiple choice → choice ids; free text / employee → string.
using AnswerValue = std::variant<int, bool, std::vector<std::string>, std::string, ContactAnswer>;

struct Answer {
  std::string question_id;
  AnswerValue value;
};

struct Response {
  std::string uuid;  // assigned when the visit starts
  std::string survey_id;
  std::int64_t survey_version = 0;
  std::string language;         // the language the resident used
  std::vector<Answer> answers;  // in the order the questions were asked
  bool partial = false;         // ended by inactivity and submitted under the partial policy
  std::string started_at;       // wall clock, ISO 8601 UTC: for display only, never for ordering
  std::string completed_at;
  // The event the kiosk was collecting for (a block party, a community meeting); empty in the lobby.
  std::string event;
  // Flagged as misuse by the kiosk (a repeat seconds after the previous response, or answered implausibly
  // fast): stored and uploaded like any other, excluded from aggregates by default. DESIGN.md guarantee 7.
  bool misuse = false;
  std::string misuse_reason;  // why, when flagged: "rapid_repeat" or "too_fast"
};

// Serialises once, deterministically (sorted keys, no whitespace): the payload that is frozen and uploaded.
std::string serialise(const Response& response);
// The inverse of serialise, for the central endpoint: checks the shape (keys, types, one answer form per
// answer, a UUID, ratings 1..5) and says what is wrong. It does not check answers against a survey.
Expected<Response> parse_response(const std::string& payload);
// Lower-case hex SHA-256 of the payload bytes.
std::string payload_hash(const std::string& payload);
// A random RFC 4122 version-4 UUID (lower case).
std::string new_uuid_v4();
bool is_uuid(const std::string& s);
// Current wall-clock time as ISO 8601 UTC, e.g. 2026-11-22T07:39:02Z (display only).
std::string utc_now_iso8601();

}  // namespace fk::model
