// Names of the roles a user token can carry and of survey assignment kinds, as stored and as typed on the
// command line, and the clock token expiry is compared with.
#include "sync/central/central_store.hpp"

#include <chrono>

namespace fk::central {

std::int64_t unix_seconds_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const char* to_string(Role role) {
  switch (role) {
    case Role::Analyst:
      return "analyst";
    case Role::Supervisor:
      return "supervisor";
    case Role::Admin:
      return "admin";
  }
  return "analyst";
}

std::optional<Role> role_from_string(std::string_view s) {
  for (Role role : {Role::Analyst, Role::Supervisor, Role::Admin}) {
    if (s == to_string(role)) return role;
  }
  return std::nullopt;
}

Error survey_changed_error(const PublishedSurvey& survey) {
  return Error{"survey \"" + survey.id + "\" version " + std::to_string(survey.version) +
               " is already published with different content; published versions never change: raise "
               "`version` and publish again"};
}

const char* to_string(AssignmentKind kind) {
  return kind == AssignmentKind::Site ? "site" : "event";
}

}  // namespace fk::central
