// The PIN pad's lockout across restarts (a new PinGate over the same file), wall-clock changes (the lock is
// on the boot clock) and reboots (another boot id: the full lock again).
#include <catch2/catch.hpp>

#include "kiosk/staff/pin.hpp"
#include "kiosk/staff/pin_gate.hpp"
#include "support/temp_dir.hpp"

using namespace fk::kiosk::staff;
using namespace std::chrono_literals;
using fk::test_support::TempDir;

namespace {

struct FakeBoot {
  BootTime now{"boot-a", 100'000ms};
  PinGate::BootClock clock() {
    return [this] { return now; };
  }
};

StaffState with_pin(const std::string& pin) {
  StaffState s;
  s.pin_hash = *hash_pin(pin);
  return s;
}

}  // namespace

TEST_CASE("the lock grows from 30 s and doubles up to one hour") {
  CHECK(lock_duration(4) == 0s);
  CHECK(lock_duration(5) == 30s);
  CHECK(lock_duration(6) == 60s);
  CHECK(lock_duration(7) == 120s);
  CHECK(lock_duration(12) == 3600s);
  CHECK(lock_duration(500) == 3600s);
}

TEST_CASE("five wrong PINs lock the pad and the lock survives a restart and a wall clock change") {
  TempDir dir;
  const std::string path = dir.file("staff.toml");
  FakeBoot boot;
  StaffState state = with_pin("1357");
  REQUIRE(save_staff_state(path, state).ok());
  {
    PinGate gate(path, state, boot.clock());
    for (int i = 1; i <= 4; ++i) {
      const PinAttempt a = gate.try_pin("0000");
      CHECK(a.outcome == PinOutcome::Wrong);
      CHECK(a.attempts_left == 5 - i);
      CHECK(a.locked_for == 0s);
    }
    const PinAttempt fifth = gate.try_pin("0000");
    CHECK(fifth.outcome == PinOutcome::Wrong);
    CHECK(fifth.locked_for == 30s);
    // Locked: even the right PIN is not checked.
    CHECK(gate.try_pin("1357").outcome == PinOutcome::Locked);
  }
  // A restart: a new state and gate read from the file, 10 s later on the boot clock.
  boot.now.since_boot += 10s;
  auto reloaded = load_staff_state(path);
  REQUIRE(reloaded.ok());
  CHECK(reloaded->lockout.failures == 5);
  StaffState after_restart = *reloaded;
  PinGate gate(path, after_restart, boot.clock());
  CHECK(gate.locked_for() == 20s);
  CHECK(gate.try_pin("1357").outcome == PinOutcome::Locked);
  // (The gate reads no wall clock at all; staff_desk_test jumps the desk's wall clock while locked.)
  // When the boot clock has moved on, the pad opens; a sixth wrong PIN locks it for 60 s.
  boot.now.since_boot += 21s;
  CHECK(gate.locked_for() == 0s);
  const PinAttempt sixth = gate.try_pin("9999");
  CHECK(sixth.outcome == PinOutcome::Wrong);
  CHECK(sixth.locked_for == 60s);
  boot.now.since_boot += 61s;
  // The right PIN opens the pad and clears the count, on disk too.
  CHECK(gate.try_pin("1357").outcome == PinOutcome::Accepted);
  CHECK(load_staff_state(path)->lockout.failures == 0);
  CHECK(gate.try_pin("0000").attempts_left == 4);
}

TEST_CASE("after a reboot the lock starts again in full") {
  TempDir dir;
  const std::string path = dir.file("staff.toml");
  FakeBoot boot;
  StaffState state = with_pin("1357");
  PinGate gate(path, state, boot.clock());
  for (int i = 0; i < 5; ++i) gate.try_pin("0000");
  boot.now.since_boot += 25s;
  CHECK(gate.locked_for() == 5s);
  // Reboot: the boot clock restarts near zero under another boot id; the stored deadline means nothing.
  boot.now = BootTime{"boot-b", 3'000ms};
  StaffState after_reboot = *load_staff_state(path);
  PinGate rebooted(path, after_reboot, boot.clock());
  CHECK(rebooted.locked_for() == 30s);
  CHECK(load_staff_state(path)->lockout.boot_id == "boot-b");  // rebased and saved
  boot.now.since_boot += 29s;
  CHECK(rebooted.try_pin("1357").outcome == PinOutcome::Locked);
  boot.now.since_boot += 2s;
  CHECK(rebooted.try_pin("1357").outcome == PinOutcome::Accepted);
}

TEST_CASE("without a PIN the gate never opens") {
  TempDir dir;
  StaffState state;
  FakeBoot boot;
  PinGate gate(dir.file("staff.toml"), state, boot.clock());
  CHECK_FALSE(gate.has_pin());
  CHECK(gate.try_pin("0000").outcome == PinOutcome::NoPin);
  CHECK(gate.try_pin("").outcome == PinOutcome::NoPin);
}

TEST_CASE("a malformed staff file is refused with file and line") {
  TempDir dir;
  const std::string path = dir.write("staff.toml", "pin_hash = 'x'\n[lockout]\nfailures = 'many'\n");
  auto loaded = load_staff_state(path);
  REQUIRE_FALSE(loaded.ok());
  CHECK_THAT(loaded.error().message, Catch::Contains(path + ":3"));
}

TEST_CASE("the staff file is written owner-only") {
  TempDir dir;
  const std::string path = dir.file("staff.toml");
  REQUIRE(save_staff_state(path, with_pin("1234")).ok());
  const auto perms = std::filesystem::status(path).permissions();
  CHECK((perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) ==
        std::filesystem::perms::none);
}
