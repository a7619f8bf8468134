// A CentralStore for tests that passes everything to a real one until told to fail: `broken` makes every
// call but find_principal (so tokens still work) return an error, `throw_on_list_kiosks` makes
// list_kiosks throw, as a handler bug would.
#pragma once

#include <atomic>
#include <stdexcept>

#include "sync/central/central_store.hpp"

namespace fk::test {

class BreakableStore final : public central::CentralStore {
 public:
  explicit BreakableStore(central::CentralStore& real) : real_(real) {}
  std::atomic<bool> broken{false};
  std::atomic<bool> throw_on_list_kiosks{false};
  // The base's shorter overloads (no expiry, now) stay visible beside the overrides.
  using central::CentralStore::add_kiosk;
  using central::CentralStore::add_user;
  using central::CentralStore::find_principal;

  Expected<Ok> add_kiosk(const std::string& id, const std::string& site, const std::string& token_sha256,
                         const std::string& now, std::int64_t expires_at) override {
    if (broken) return fail();
    return real_.add_kiosk(id, site, token_sha256, now, expires_at);
  }
  Expected<Ok> revoke_kiosk(const std::string& id) override {
    if (broken) return fail();
    return real_.revoke_kiosk(id);
  }
  Expected<Ok> rotate_kiosk(const std::string& id, const std::string& token_sha256,
                            std::int64_t expires_at) override {
    if (broken) return fail();
    return real_.rotate_kiosk(id, token_sha256, expires_at);
  }
  Expected<std::vector<central::KioskRecord>> list_kiosks() override {
    if (throw_on_list_kiosks) throw std::runtime_error("list_kiosks blew up on purpose");
    if (broken) return fail();
    return real_.list_kiosks();
  }
  Expected<Ok> add_user(const std::string& name, central::Role role, const std::string& token_sha256,
                        const std::string& now, std::int64_t expires_at) override {
    if (broken) return fail();
    return real_.add_user(name, role, token_sha256, now, expires_at);
  }
  Expected<Ok> revoke_user(const std::string& name) override {
    if (broken) return fail();
    return real_.revoke_user(name);
  }
  Expected<Ok> rotate_user(const std::string& name, const std::string& token_sha256,
                           std::int64_t expires_at) override {
    if (broken) return fail();
    return real_.rotate_user(name, token_sha256, expires_at);
  }
  Expected<std::vector<central::UserRecord>> list_users() override {
    if (broken) return fail();
    return real_.list_users();
  }
  Expected<std::optional<central::Principal>> find_principal(const std::string& token_sha256,
                                                             std::int64_t now) override {
    return real_.find_principal(token_sha256, now);
  }
  Expected<Ok> record_heartbeat(const std::string& kiosk_id, const model::Heartbeat& heartbeat,
                                const std::string& now) override {
    if (broken) return fail();
    return real_.record_heartbeat(kiosk_id, heartbeat, now);
  }
  Expected<std::vector<model::ItemResult>> ingest(const std::string& kiosk_id,
                                                  const std::vector<central::IngestItem>& items,
                                                  const std::string& received_at) override {
    if (broken) return fail();
    return real_.ingest(kiosk_id, items, received_at);
  }
  Expected<std::vector<central::PartialCell>> aggregate_partials(const central::AggregateQuery& filters,
                                                                 central::Grain grain) override {
    if (broken) return fail();
    return real_.aggregate_partials(filters, grain);
  }
  Expected<std::vector<central::ThanksRecord>> list_thanks(const central::ThanksFilter& filter) override {
    if (broken) return fail();
    return real_.list_thanks(filter);
  }
  Expected<central::PublishOutcome> publish_survey(
      const central::PublishedSurvey& survey,
      const std::vector<central::SurveyAssignment>& assignments) override {
    if (broken) return fail();
    return real_.publish_survey(survey, assignments);
  }
  Expected<std::vector<central::PublishedSurvey>> list_published_surveys() override {
    if (broken) return fail();
    return real_.list_published_surveys();
  }
  Expected<std::vector<central::SurveyAssignment>> list_survey_assignments() override {
    if (broken) return fail();
    return real_.list_survey_assignments();
  }
  Expected<Ok> add_session(const central::SessionRecord& session, std::size_t per_user_cap) override {
    if (broken) return fail();
    return real_.add_session(session, per_user_cap);
  }
  Expected<std::optional<central::Principal::User>> find_session(const std::string& id_sha256,
                                                                 std::int64_t now) override {
    if (broken) return fail();
    return real_.find_session(id_sha256, now);
  }
  Expected<Ok> remove_session(const std::string& id_sha256) override {
    if (broken) return fail();
    return real_.remove_session(id_sha256);
  }
  Expected<std::int64_t> count_sessions(std::int64_t now) override {
    if (broken) return fail();
    return real_.count_sessions(now);
  }
  Expected<Ok> ping() override {
    if (broken) return fail();
    return real_.ping();
  }
  Expected<std::int64_t> count_responses() override {
    if (broken) return fail();
    return real_.count_responses();
  }
  Expected<std::optional<central::CentralResponse>> find_response(const std::string& uuid) override {
    if (broken) return fail();
    return real_.find_response(uuid);
  }

 private:
  static Error fail() { return Error{"disk I/O error (broken on purpose)"}; }
  central::CentralStore& real_;
};

}  // namespace fk::test
