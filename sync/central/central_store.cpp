// Names of the roles a user token can carry, as stored and as typed on the command line.
#include "sync/central/central_store.hpp"

namespace fk::central {

const char* to_string(Role role) {
  switch (role) {
    case Role::Analyst: return "analyst";
    case Role::Supervisor: return "supervisor";
    case Role::Admin: return "admin";
  }
  return "analyst";
}

std::optional<Role> role_from_string(std::string_view s) {
  for (Role role : {Role::Analyst, Role::Supervisor, Role::Admin}) {
    if (s == to_string(role)) return role;
  }
  return std::nullopt;
}

}  // namespace fk::central
