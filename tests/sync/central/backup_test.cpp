// `feedback-central backup` on SQLite: taken from the CLI's function while a live CentralServer ingests on the
// same file from several threads, then restored as the README says (copy the file into place, open it). The
// restored database must hold every batch acknowledged before the backup started, and every batch wholly or
// not at all. Also the command's refusals and exit codes.
#include <sys/stat.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "central_test_support.hpp"
#include "http_test_support.hpp"
#include "sync/central/commands.hpp"
#include "wire_samples.hpp"

using namespace fk;
using test::LiveCentral;

namespace {

constexpr std::size_t kItemsPerBatch = 5;

// Batches a thread sent, in order, each marked when its receipt came back.
struct Sent {
  std::vector<std::string> uuids;
  bool acknowledged = false;
};

}  // namespace

TEST_CASE("a backup taken during ingest restores to whole batches, all acknowledged ones included",
          "[backup]") {
  central::ServerConfig config = test::test_config();
  config.rate.per_second = 0;  // the posting threads send back to back
  LiveCentral central(config);
  test::TempDir dir;
  const std::string backup_file = dir.file("backup.sqlite");

  std::mutex mutex;
  std::vector<Sent> batches;
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> posters;
  for (int t = 0; t < 4; ++t) {
    posters.emplace_back([&, t] {
      auto client = central.client(t % 2 == 0 ? central.kiosk_token : central.other_kiosk_token);
      while (!stop) {
        std::vector<model::BatchItem> items;
        for (std::size_t i = 0; i < kItemsPerBatch; ++i) items.push_back(test::sample_item());
        std::size_t index;
        {
          std::lock_guard lock(mutex);
          index = batches.size();
          batches.push_back({});
          for (const auto& item : items) batches.back().uuids.push_back(item.uuid);
        }
        auto res = test::post_json(*client, test::kResponsesPath, model::encode_batch(items));
        if (res && res->status == 201) {
          std::lock_guard lock(mutex);
          batches[index].acknowledged = true;
        } else {
          ++failures;
        }
      }
    });
  }
  auto acknowledged_now = [&] {
    std::lock_guard lock(mutex);
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < batches.size(); ++i) {
      if (batches[i].acknowledged) out.push_back(i);
    }
    return out;
  };
  while (acknowledged_now().size() < 40) std::this_thread::sleep_for(std::chrono::milliseconds(5));

  const std::vector<std::size_t> before = acknowledged_now();
  std::ostringstream out, err;
  const int code = central::backup(central.db_path(), backup_file, false, out, err);
  // Ingest goes on after the backup; the live database moves past it.
  while (acknowledged_now().size() < before.size() + 40)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  stop = true;
  for (auto& t : posters) t.join();
  INFO("stderr: " << err.str());
  REQUIRE(code == 0);
  CHECK(failures == 0);
  CHECK(out.str().find("Backed up") != std::string::npos);
  struct stat st {};
  REQUIRE(::stat(backup_file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  // The README's restore: the service stopped, the file copied over the database, the service started.
  const std::string restored_path = dir.file("restored.sqlite");
  std::filesystem::copy_file(backup_file, restored_path);
  auto restored = test::must(central::SqliteCentralStore::open(restored_path), "open the restored copy");

  std::int64_t rows_in_whole_batches = 0;
  std::size_t batches_in = 0;
  for (std::size_t i = 0; i < batches.size(); ++i) {
    std::size_t present = 0;
    for (const auto& uuid : batches[i].uuids) {
      if (test::must(restored->find_response(uuid), "find")) ++present;
    }
    INFO("batch " << i);
    CHECK((present == 0 || present == kItemsPerBatch));  // one transaction: wholly in or wholly out
    if (present == kItemsPerBatch) {
      rows_in_whole_batches += static_cast<std::int64_t>(kItemsPerBatch);
      ++batches_in;
    }
  }
  for (const std::size_t i : before) {
    INFO("batch " << i << " was acknowledged before the backup started");
    CHECK(test::must(restored->find_response(batches[i].uuids.front()), "find").has_value());
  }
  // Nothing else is in it, and the live database went on without it.
  CHECK(test::must(restored->count_responses(), "count") == rows_in_whole_batches);
  CHECK(batches_in >= before.size());
  CHECK(central.rows() > rows_in_whole_batches);
  CHECK(out.str().find(std::to_string(rows_in_whole_batches) + " responses") != std::string::npos);
  // The restored database takes new responses.
  CHECK(test::must(restored->find_principal(central::token_hash(central.kiosk_token)), "find").has_value());
}

TEST_CASE("backup refuses to overwrite without --force, a missing database and PostgreSQL", "[backup]") {
  LiveCentral central;
  test::TempDir dir;
  const std::string file = dir.file("backup.sqlite");
  auto backup = [&](const std::string& db, bool force, std::string* err_text = nullptr) {
    std::ostringstream out, err;
    const int code = central::backup(db, file, force, out, err);
    if (err_text) *err_text = err.str();
    return code;
  };
  REQUIRE(backup(central.db_path(), false) == 0);
  std::string err;
  CHECK(backup(central.db_path(), false, &err) == 1);
  CHECK(err.find("exists; --force replaces it") != std::string::npos);
  CHECK(backup(central.db_path(), true) == 0);
  // No stray temporary files beside it.
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++entries;
  CHECK(entries == 1);

  CHECK(backup(dir.file("missing.sqlite"), true, &err) == 1);
  CHECK(err.find("no SQLite database") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.file("missing.sqlite")));
  CHECK(backup("postgresql://fk:secret@db.example/central", true, &err) == 2);
  CHECK(err.find("pg_dump") != std::string::npos);
  CHECK(err.find("secret") == std::string::npos);
}
