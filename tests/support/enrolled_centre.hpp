// An in-process centre with one enrolled kiosk, as `feedback-central kiosk add lobby-1` leaves it.
// Links fk_central: use the fk_test_support_central target.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "sync/central/central_server.hpp"
#include "sync/central/sqlite_central_store.hpp"
#include "sync/central/tokens.hpp"
#include "sync/model/response.hpp"

namespace fk::test_support {

// Opens (creating it if need be) the SQLite centre at `path` and enrols kiosk "lobby-1" of "Central Division"
// under `token`.
inline Expected<std::unique_ptr<central::SqliteCentralStore>> open_enrolled_centre(
    const std::string& path, const std::string& token,
    const std::string& enrolled_at = model::utc_now_iso8601()) {
  auto store = central::SqliteCentralStore::open(path);
  if (!store) return Error{"open the centre: " + store.error().message};
  if (auto added =
          (*store)->add_kiosk("lobby-1", "Central Division", central::token_hash(token), enrolled_at);
      !added) {
    return Error{"enrol: " + added.error().message};
  }
  return std::move(store).value();
}

// The centre above with a CentralServer started on it (server declared last, so it stops first).
struct RunningCentre {
  std::unique_ptr<central::SqliteCentralStore> store;
  std::unique_ptr<central::CentralServer> server;
};

inline Expected<RunningCentre> start_enrolled_centre(const std::string& path, const std::string& token,
                                                     central::ServerConfig config = {}) {
  auto store = open_enrolled_centre(path, token);
  if (!store) return store.error();
  RunningCentre centre{std::move(store).value(), nullptr};
  centre.server = std::make_unique<central::CentralServer>(*centre.store, std::move(config));
  if (auto started = centre.server->start(); !started)
    return Error{"start the centre: " + started.error().message};
  return centre;
}

}  // namespace fk::test_support
