// Scale-out: two real `feedback-central serve` processes on one PostgreSQL, as behind a load balancer, take
// overlapping replays of the same batches at once; the database ends with exactly one row per UUID and the
// receipts say "created" exactly once per UUID across both servers.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "http_test_support.hpp"
#include "pg_test_support.hpp"
#include "sync/central/commands.hpp"
#include "wire_samples.hpp"

extern char** environ;

using namespace fk;
using model::ItemStatus;

namespace {

// `feedback-central serve --listen 127.0.0.1:0 --db URL` as a child process; stopped with SIGTERM at scope exit.
class CentralProcess {
 public:
  explicit CentralProcess(const std::string& db) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    const std::string exe = FK_CENTRAL_EXE;
    std::vector<std::string> args = {exe, "serve", "--listen", "127.0.0.1:0", "--db", db};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int spawned = posix_spawn(&pid_, exe.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    out_ = out[0];
    if (spawned != 0) throw std::runtime_error("cannot start " + exe);
    // It prints its address once it accepts connections (its errors go to our stderr).
    std::string output;
    char buf[256];
    while (output.find('\n') == std::string::npos) {
      const auto n = read(out_, buf, sizeof buf);
      if (n <= 0) break;
      output.append(buf, static_cast<std::size_t>(n));
    }
    const auto at = output.find("http://127.0.0.1:");
    if (at == std::string::npos) throw std::runtime_error("feedback-central serve did not start: " + output);
    port_ = std::stoi(output.substr(at + 17));
  }
  ~CentralProcess() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    close(out_);
  }
  CentralProcess(const CentralProcess&) = delete;
  CentralProcess& operator=(const CentralProcess&) = delete;

  int port() const { return port_; }

 private:
  pid_t pid_ = 0;
  int out_ = -1;
  int port_ = 0;
};

struct Outcome {
  int server = 0;
  std::vector<model::BatchItem> batch;
  std::optional<model::Receipt> receipt;
  std::string failure;  // why there is no receipt
};

// Posts `batch` and keeps what came back; no Catch assertions here, as it runs on several threads.
Outcome post(int server, int port, const std::string& token, std::vector<model::BatchItem> batch) {
  Outcome outcome{server, std::move(batch), std::nullopt, {}};
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(20, 0);
  client.set_bearer_token_auth(token);
  auto res = test::post_json(client, test::kResponsesPath, model::encode_batch(outcome.batch));
  if (!res) {
    outcome.failure = "no answer: " + httplib::to_string(res.error());
  } else if (res->status != 201) {
    outcome.failure = "status " + std::to_string(res->status) + ": " + res->body;
  } else if (auto receipt = model::decode_receipt(res->body); !receipt) {
    outcome.failure = "bad receipt: " + receipt.error().message;
  } else {
    outcome.receipt = std::move(*receipt);
  }
  return outcome;
}

}  // namespace

TEST_CASE(
    "two central processes on one PostgreSQL receiving overlapping replays end with exactly one row "
    "per UUID",
    "[pg][scale-out][process]") {
  test::PgDatabase db;
  std::ostringstream out, err;
  REQUIRE(central::kiosk_add(db.url(), "lobby-1", "Central Division", out, err) == 0);
  std::string token = out.str();
  while (!token.empty() && token.back() == '\n') token.pop_back();
  token = token.substr(token.rfind('\n') + 1);

  const CentralProcess servers[] = {CentralProcess(db.url()), CentralProcess(db.url())};

  constexpr std::size_t kItems = 120;
  constexpr std::size_t kSlice = 60;
  std::vector<model::BatchItem> items;
  for (std::size_t i = 0; i < kItems; ++i) items.push_back(test::sample_item("note " + std::to_string(i)));

  // Threads 2k and 2k+1 post the same slice at the same time, one to each server, the second in reverse
  // order; threads 0/1 and 2/3 start half the items apart, and each round shifts the slices, so every UUID
  // reaches both processes concurrently several times.
  constexpr int kThreads = 4;
  constexpr int kRounds = 5;
  std::mutex mutex;
  std::vector<Outcome> outcomes;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const int server = t % 2;
      for (int round = 0; round < kRounds; ++round) {
        const std::size_t start =
            (static_cast<std::size_t>(round) * 30 + static_cast<std::size_t>(t / 2) * kSlice) % kItems;
        std::vector<model::BatchItem> batch;
        for (std::size_t k = 0; k < kSlice; ++k) batch.push_back(items[(start + k) % kItems]);
        if (server == 1) std::reverse(batch.begin(), batch.end());
        Outcome outcome = post(server, servers[server].port(), token, std::move(batch));
        std::lock_guard lock(mutex);
        outcomes.push_back(std::move(outcome));
      }
    });
  }
  for (auto& th : threads) th.join();

  std::map<std::string, int> created;  // uuid → times answered "created", across both servers
  int answered_by[2] = {0, 0};
  for (const Outcome& o : outcomes) {
    INFO("server " << o.server << ": " << o.failure);
    REQUIRE(o.receipt.has_value());
    REQUIRE(model::check_receipt_matches(*o.receipt, o.batch).ok());
    ++answered_by[o.server];
    for (const auto& r : o.receipt->results) {
      INFO(r.uuid << ": " << r.reason);
      CHECK((r.status == ItemStatus::Created || r.status == ItemStatus::Duplicate));
      if (r.status == ItemStatus::Created) ++created[r.uuid];
    }
  }
  CHECK(answered_by[0] == kRounds * kThreads / 2);
  CHECK(answered_by[1] == kRounds * kThreads / 2);
  for (const auto& item : items) {
    INFO(item.uuid);
    CHECK(created[item.uuid] == 1);
  }

  // One more replay of everything, to either server: nothing new.
  for (const CentralProcess& server : servers) {
    const Outcome again = post(0, server.port(), token, items);
    INFO(again.failure);
    REQUIRE(again.receipt.has_value());
    for (const auto& r : again.receipt->results) CHECK(r.status == ItemStatus::Duplicate);
  }

  // The database itself: one row per UUID, nothing else, the bytes the kiosk sent.
  test::PgConnection c(db.url());
  CHECK(c.scalar("SELECT count(*) FROM responses") == static_cast<std::int64_t>(kItems));
  CHECK(c.scalar("SELECT count(*) FROM (SELECT uuid FROM responses GROUP BY uuid HAVING count(*) > 1) d") ==
        0);
  for (const auto& item : items) {
    INFO(item.uuid);
    CHECK(c.scalar("SELECT count(*) FROM responses WHERE uuid = $1 AND payload = convert_to($2, 'UTF8')",
                   {item.uuid, item.payload}) == 1);
  }
}
