// The identity lifecycle over HTTP: the CLI's functions (as `feedback-central user/kiosk …` runs them) on the
// database of a running server, whose next request must already see the change: a revoked or rotated token,
// and a revoked or rotated user's dashboard sessions, are refused at once; a re-enrolled kiosk posts again;
// an expired token is 401. Also the commands' output and exit codes.
#include <catch2/catch.hpp>
#include <sstream>
#include <string>

#include "central_test_support.hpp"
#include "http_test_support.hpp"
#include "sync/central/commands.hpp"
#include "sync/central/dashboard.hpp"
#include "wire_samples.hpp"

using namespace fk;
using test::expect_error;
using test::kResponsesPath;
using test::LiveCentral;
using test::post_json;

namespace {

struct Run {
  int code = 0;
  std::string out, err;
};

template <typename Command>
Run run(Command command) {
  std::ostringstream out, err;
  Run r;
  r.code = command(out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

// The token a command printed alone on its last line.
std::string last_line(const std::string& text) {
  std::string body = text;
  while (!body.empty() && body.back() == '\n') body.pop_back();
  return body.substr(body.rfind('\n') + 1);
}

int aggregates_status(LiveCentral& central, const std::string& token) {
  auto res = central.client(token)->Get("/api/v1/aggregates");
  REQUIRE(res);
  return res->status;
}

std::string sign_in(LiveCentral& central, const std::string& token) {
  auto res =
      central.client()->Post("/login", {{"Origin", "http://127.0.0.1:" + std::to_string(central.port())}},
                             "token=" + central::url_encode(token), "application/x-www-form-urlencoded");
  REQUIRE(res);
  REQUIRE(res->status == 303);
  const std::string cookie = res->get_header_value("Set-Cookie");
  return cookie.substr(0, cookie.find(';'));
}

int session_status(LiveCentral& central, const std::string& cookie) {
  auto res = central.client()->Get("/api/v1/aggregates", httplib::Headers{{"Cookie", cookie}});
  REQUIRE(res);
  return res->status;
}

int post_status(LiveCentral& central, const std::string& token, const std::string& body) {
  auto res = post_json(*central.client(token), kResponsesPath, body);
  REQUIRE(res);
  return res->status;
}

}  // namespace

TEST_CASE("user revoke refuses the token and ends the sessions of a running server at once",
          "[http][identity]") {
  LiveCentral central;
  const std::string session = sign_in(central, central.analyst_token);
  REQUIRE(aggregates_status(central, central.analyst_token) == 200);
  REQUIRE(session_status(central, session) == 200);

  const Run revoked =
      run([&](auto& out, auto& err) { return central::user_revoke(central.db_path(), "ann", out, err); });
  CHECK(revoked.code == 0);
  CHECK(revoked.out.find("Revoked user 'ann'") != std::string::npos);
  CHECK(aggregates_status(central, central.analyst_token) == 401);
  CHECK(session_status(central, session) == 401);
  // Signing in again with the revoked token is refused too; other users carry on.
  auto again = central.client()->Post(
      "/login", {{"Origin", "http://127.0.0.1:" + std::to_string(central.port())}},
      "token=" + central::url_encode(central.analyst_token), "application/x-www-form-urlencoded");
  REQUIRE(again);
  CHECK(again->get_header_value("Set-Cookie").find("fk_session=") == std::string::npos);
  CHECK(aggregates_status(central, central.admin_token) == 200);

  const Run unknown =
      run([&](auto& out, auto& err) { return central::user_revoke(central.db_path(), "nobody", out, err); });
  CHECK(unknown.code == 1);
  CHECK(unknown.err.find("no user 'nobody'") != std::string::npos);
}

TEST_CASE("user rotate prints a new token; the old one and its sessions are refused at once",
          "[http][identity]") {
  LiveCentral central;
  const std::string session = sign_in(central, central.analyst_token);
  const Run rotated =
      run([&](auto& out, auto& err) { return central::user_rotate(central.db_path(), "ann", out, err, 30); });
  REQUIRE(rotated.code == 0);
  const std::string token = last_line(rotated.out);
  CHECK(token.size() == 64);
  CHECK(rotated.out.find("It expires at ") != std::string::npos);
  CHECK(aggregates_status(central, central.analyst_token) == 401);
  CHECK(session_status(central, session) == 401);
  CHECK(aggregates_status(central, token) == 200);

  const Run listed =
      run([&](auto& out, auto& err) { return central::user_list(central.db_path(), out, err); });
  REQUIRE(listed.code == 0);
  CHECK(listed.out.rfind("NAME", 0) == 0);
  CHECK(listed.out.find("ann  ") != std::string::npos);
  CHECK(listed.out.find("analyst") != std::string::npos);
  // Never a token or its hash.
  CHECK(listed.out.find(token) == std::string::npos);
  CHECK(listed.out.find(central::token_hash(token)) == std::string::npos);
  CHECK(listed.out.find(central::token_hash(central.admin_token)) == std::string::npos);
}

TEST_CASE("kiosk rotate: the old token is refused at once and the new one posts", "[http][identity]") {
  LiveCentral central;
  REQUIRE(post_status(central, central.kiosk_token, model::encode_batch({test::sample_item()})) == 201);
  const Run rotated = run(
      [&](auto& out, auto& err) { return central::kiosk_rotate(central.db_path(), "lobby-1", out, err); });
  REQUIRE(rotated.code == 0);
  const std::string token = last_line(rotated.out);
  CHECK(token.size() == 64);
  expect_error(post_json(*central.client(central.kiosk_token), kResponsesPath,
                         model::encode_batch({test::sample_item()})),
               401, "unauthorized");
  CHECK(post_status(central, token, model::encode_batch({test::sample_item()})) == 201);

  const Run revoked_one =
      run([&](auto& out, auto& err) { return central::kiosk_rotate(central.db_path(), "old-1", out, err); });
  CHECK(revoked_one.code == 1);
  CHECK(revoked_one.out.empty());
}

TEST_CASE("a revoked kiosk re-enrolled with kiosk add posts again, its earlier responses still its own",
          "[http][identity]") {
  LiveCentral central;
  const model::BatchItem earlier = test::sample_item();
  REQUIRE(post_status(central, central.kiosk_token, model::encode_batch({earlier})) == 201);
  REQUIRE(run([&](auto& out, auto& err) {
            return central::kiosk_revoke(central.db_path(), "lobby-1", out, err);
          }).code == 0);
  expect_error(
      post_json(*central.client(central.kiosk_token), kResponsesPath, model::encode_batch({earlier})), 403,
      "revoked");
  // Still enrolled and active: refused.
  const Run twice = run([&](auto& out, auto& err) {
    return central::kiosk_add(central.db_path(), "lobby-2", "Harbour Division", out, err);
  });
  CHECK(twice.code == 1);
  CHECK(twice.err.find("already exists") != std::string::npos);

  const Run again = run([&](auto& out, auto& err) {
    return central::kiosk_add(central.db_path(), "lobby-1", "Central Division", out, err);
  });
  REQUIRE(again.code == 0);
  const std::string token = last_line(again.out);
  CHECK(post_status(central, token, model::encode_batch({test::sample_item()})) == 201);
  // The old token is gone, not merely revoked.
  expect_error(
      post_json(*central.client(central.kiosk_token), kResponsesPath, model::encode_batch({earlier})), 401,
      "unauthorized");
  // The earlier response is the re-enrolled kiosk's: sent again, it is a duplicate, not a conflict.
  auto res = post_json(*central.client(token), kResponsesPath, model::encode_batch({earlier}));
  const model::Receipt receipt = test::expect_receipt(res);
  REQUIRE(receipt.results.size() == 1);
  CHECK(receipt.results[0].status == model::ItemStatus::Duplicate);
  CHECK((*central.store().find_response(earlier.uuid))->kiosk_id == "lobby-1");
}

TEST_CASE("an expired token is 401 like an unknown one", "[http][identity]") {
  LiveCentral central;
  const std::int64_t now = central::unix_seconds_now();
  const std::string expired = central::new_token(), fresh = central::new_token();
  REQUIRE(central.store()
              .add_user("old", central::Role::Analyst, central::token_hash(expired), "t", now - 1)
              .ok());
  REQUIRE(central.store()
              .add_user("new", central::Role::Analyst, central::token_hash(fresh), "t", now + 3600)
              .ok());
  expect_error(central.client(expired)->Get("/api/v1/aggregates"), 401, "unauthorized");
  CHECK(aggregates_status(central, fresh) == 200);
  REQUIRE(central.store().rotate_kiosk("lobby-1", central::token_hash(expired), now - 1).ok());
  expect_error(
      post_json(*central.client(expired), kResponsesPath, model::encode_batch({test::sample_item()})), 401,
      "unauthorized");

  const Run added = run([&](auto& out, auto& err) {
    return central::kiosk_add(central.db_path(), "lobby-9", "Central Division", out, err, 7);
  });
  REQUIRE(added.code == 0);
  CHECK(added.out.find("It expires at ") != std::string::npos);
  const Run bad = run([&](auto& out, auto& err) {
    return central::user_add(central.db_path(), "eve", "analyst", out, err, -1);
  });
  CHECK(bad.code == 2);
}
