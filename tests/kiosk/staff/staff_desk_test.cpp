// The staff desk over a real SQLite outbox and staff file: the PIN flow (checked on a worker), the lock under
// a jumping wall clock, starting and ending an event (bad end times refused, nothing changed), its report
// (from the uploader's snapshot, or read when a screen opens), and a restart.
#include "kiosk/staff/staff_desk.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <future>
#include <iterator>
#include <semaphore>

#include "kiosk/staff/pin.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "support/sample_responses.hpp"
#include "support/temp_dir.hpp"
#include "sync/store/sqlite_response_store.hpp"

extern const std::string_view kDefaultSurveyToml;

using namespace fk;
using namespace fk::kiosk::staff;
using namespace std::chrono_literals;
namespace si = fk::ui::staff_intent;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::time_t local_time_today(int hh, int mm) {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  local.tm_hour = hh;
  local.tm_min = mm;
  local.tm_sec = 0;
  local.tm_isdst = -1;
  return std::mktime(&local);
}

struct Rig {
  test_support::TempDir dir;
  std::unique_ptr<store::SqliteResponseStore> store =
      std::move(*store::SqliteResponseStore::open(dir.file("r.sqlite")));
  kiosk::SurveySource surveys{std::nullopt, dir.str(), kDefaultSurveyToml, [](const std::string&) {}};
  std::shared_ptr<const model::SurveyDefinition> active = surveys.initial();
  BootTime boot{"boot-1", 50'000ms};
  std::time_t wall = local_time_today(12, 0);
  std::string event, language;
  TimePoint now{};
  uploader::Uploader* uploader = nullptr;
  std::function<bool(const std::string&, const std::string&)> pin_matches;  // empty: the real Argon2id check
  std::counting_semaphore<> woken{0};  // released by the desk's worker when a PIN check is done

  std::unique_ptr<StaffDesk> desk() { return desk_on(surveys); }
  // A desk whose kiosk runs the surveys of `source` (the one the desk chooses from).
  std::unique_ptr<StaffDesk> desk_on(kiosk::SurveySource& source) {
    DeskDeps d;
    d.data_dir = dir.str();
    d.store = store.get();
    d.surveys = &source;
    d.boot_clock = [this] { return boot; };
    d.wall_clock = [this] { return wall; };
    d.uploader = uploader;
    if (pin_matches) d.pin_matches = pin_matches;
    d.wake = [this] { woken.release(); };
    DeskHooks h;
    h.set_survey = [this](auto s) { active = std::move(s); };
    h.set_event = [this](const std::string& e) { event = e; };
    h.set_default_language = [this](const std::string& l) { language = l; };
    h.active_survey = [this]() -> const model::SurveyDefinition& { return *active; };
    auto desk = std::make_unique<StaffDesk>(std::move(d), std::move(h));
    desk->restore();
    return desk;
  }
  void set_pin(const std::string& pin) {
    StaffState s = *load_staff_state(staff_state_path(dir.str()));
    s.pin_hash = *hash_pin(pin);
    REQUIRE(save_staff_state(staff_state_path(dir.str()), s).ok());
  }
  // Types a PIN and Enter, and waits for the answer as the kiosk's loop does: woken by the worker, it ticks.
  void type(StaffDesk& desk, const std::string& pin) {
    for (char c : pin) desk.apply(si::Digit{c}, now);
    desk.apply(si::SubmitPin{}, now);
    settle(desk);
  }
  void settle(StaffDesk& desk) {
    if (!desk.checking_pin()) return;
    REQUIRE(woken.try_acquire_for(std::chrono::seconds(10)));
    desk.tick(now);
    REQUIRE_FALSE(desk.checking_pin());
  }
};

}  // namespace

TEST_CASE("the staff screen opens only with the right PIN") {
  Rig rig;
  {
    auto desk = rig.desk();
    desk->open_pin_pad(rig.now);
    CHECK(desk->view().pin_message == "No staff PIN is set: run feedback-kiosk admin set-pin");
    rig.type(*desk, "1234");
    CHECK(desk->view().screen == ui::StaffScreen::PinPad);
  }
  rig.set_pin("4321");
  auto desk = rig.desk();
  desk->open_pin_pad(rig.now);
  rig.type(*desk, "1234");
  auto view = desk->view();
  CHECK(view.screen == ui::StaffScreen::PinPad);
  CHECK(view.pin_message == "Wrong PIN. 4 tries left before the pad locks.");
  CHECK(view.pin_digits == 0);
  desk->apply(si::Open{ui::StaffScreen::Home}, rig.now);  // no way round the pad
  CHECK(desk->view().screen == ui::StaffScreen::PinPad);
  rig.type(*desk, "4321");
  view = desk->view();
  CHECK(view.screen == ui::StaffScreen::Home);
  CHECK(view.survey_id == rig.active->id);
  // Left alone, it locks itself.
  desk->tick(rig.now + kStaffScreenTimeout);
  CHECK_FALSE(desk->active());
}

TEST_CASE("a locked PIN pad stays locked when the wall clock jumps") {
  Rig rig;
  rig.set_pin("4321");
  auto desk = rig.desk();
  desk->open_pin_pad(rig.now);
  for (int i = 0; i < 5; ++i) rig.type(*desk, "0000");
  CHECK(desk->view().locked_seconds == 30);
  rig.wall += 86'400 * 2;  // two days ahead
  CHECK(desk->view().locked_seconds == 30);
  rig.wall -= 86'400 * 30;  // a month back
  rig.boot.since_boot += 12s;
  auto restarted = rig.desk();  // and the app restarts
  restarted->open_pin_pad(rig.now);
  CHECK(restarted->view().locked_seconds == 18);
  rig.type(*restarted, "4321");
  CHECK(restarted->view().screen == ui::StaffScreen::PinPad);
}

TEST_CASE("an event end time in the past is refused and nothing changes") {
  Rig rig;
  rig.set_pin("4321");
  const std::string before = read_file(staff_state_path(rig.dir.str()));
  auto desk = rig.desk();
  desk->open_pin_pad(rig.now);
  rig.type(*desk, "4321");
  desk->apply(si::Open{ui::StaffScreen::StartEvent}, rig.now);
  desk->apply(si::EditName{"Spring fair"}, rig.now);
  desk->apply(si::EditEndTime{"11:30"}, rig.now);  // it is 12:00
  desk->apply(si::StartEvent{}, rig.now);
  auto view = desk->view();
  CHECK(view.screen == ui::StaffScreen::StartEvent);
  CHECK(view.form_error ==
        "The end time 11:30 has already passed (it is 12:00 now): choose a later time today, or "
        "leave it empty.");
  desk->apply(si::EditEndTime{"25:00"}, rig.now);
  desk->apply(si::StartEvent{}, rig.now);
  CHECK_THAT(desk->view().form_error, Catch::Contains("is not a time"));
  desk->apply(si::EditName{"   "}, rig.now);
  desk->apply(si::EditEndTime{""}, rig.now);
  desk->apply(si::StartEvent{}, rig.now);
  CHECK(desk->view().form_error == "Give the event a name.");
  CHECK(rig.event.empty());
  CHECK(read_file(staff_state_path(rig.dir.str())) == before);
}

TEST_CASE("an event tags visits and its report follows the centre's confirmations") {
  Rig rig;
  // The uploader's snapshots carry the report; its rounds (here against a port nobody listens on) recount.
  uploader::UploaderConfig config;
  config.central_url = "http://127.0.0.1:1";
  config.token = "token";
  uploader::Uploader up(*rig.store, config);
  rig.uploader = &up;
  rig.set_pin("4321");
  auto desk = rig.desk();
  desk->open_pin_pad(rig.now);
  rig.type(*desk, "4321");
  desk->apply(si::Open{ui::StaffScreen::StartEvent}, rig.now);
  desk->apply(si::EditName{"Spring fair"}, rig.now);
  desk->apply(si::EditEndTime{"17:30"}, rig.now);
  desk->apply(si::StartEvent{}, rig.now);
  CHECK(desk->view().form_error.empty());
  CHECK(rig.event == "Spring fair");
  CHECK(desk->view().event_ends == "17:30");

  // A restart keeps the event.
  rig.event.clear();
  desk = rig.desk();
  CHECK(rig.event == "Spring fair");

  std::vector<std::string> uuids;
  for (int i = 0; i < 2; ++i) {
    model::Response r = test_support::lobby_response();
    r.event = rig.event;
    REQUIRE(rig.store->save(r).ok());
    uuids.push_back(r.uuid);
  }
  REQUIRE(rig.store->save(test_support::lobby_response()).ok());  // not the event's

  desk->open_pin_pad(rig.now);
  rig.type(*desk, "4321");
  desk->apply(si::EndEvent{}, rig.now);
  CHECK(rig.event.empty());
  auto view = desk->view();
  REQUIRE(view.screen == ui::StaffScreen::EventReport);
  CHECK(view.report_event == "Spring fair");
  up.sync_once();  // what the uploader's thread does on the desk's sync_now() and report_event()
  CHECK(up.status()->report_event == "Spring fair");
  view = desk->view();
  CHECK(ui::event_report_summary(view.report) == "2 collected, 0 confirmed by the centre, 2 still pending");
  CHECK(view.pending == 3);
  CHECK_THAT(view.oldest_pending, Catch::Contains("(saved "));
  REQUIRE(rig.store->mark_uploaded({uuids[0]}).ok());
  up.sync_once();
  CHECK(ui::event_report_summary(desk->view().report) ==
        "2 collected, 1 confirmed by the centre, 1 still pending");
  REQUIRE(rig.store->mark_uploaded({uuids[1]}).ok());
  up.sync_once();
  CHECK(ui::event_report_summary(desk->view().report) == "All 2 confirmed");
  CHECK(desk->view().pending == 1);
}

TEST_CASE("ending an event returns the kiosk to its own survey from the next visit") {
  Rig rig;
  // The kiosk's configured survey ("visit"); the event runs the embedded lobby survey.
  std::string visit(kDefaultSurveyToml);
  visit.replace(visit.find("id = \"lobby\""), 12, "id = \"visit\"");
  const std::string path = rig.dir.write("visit.toml", visit);
  kiosk::SurveySource surveys{path, rig.dir.str(), kDefaultSurveyToml, [](const std::string&) {}};
  rig.active = surveys.initial();
  REQUIRE(rig.active->id == "visit");
  rig.set_pin("4321");
  auto desk = rig.desk_on(surveys);
  desk->open_pin_pad(rig.now);
  rig.type(*desk, "4321");
  desk->apply(si::Open{ui::StaffScreen::StartEvent}, rig.now);
  desk->apply(si::EditName{"Block party"}, rig.now);
  desk->apply(si::PickEventSurvey{"lobby"}, rig.now);
  desk->apply(si::StartEvent{}, rig.now);
  REQUIRE(rig.event == "Block party");
  CHECK(rig.active->id == "lobby");
  desk->apply(si::EndEvent{}, rig.now);
  CHECK(rig.event.empty());
  CHECK(rig.active->id == "visit");
  CHECK(surveys.origin() == path);
}

TEST_CASE("the survey staff chose survives a restart and comes back after an event") {
  Rig rig;
  // Two surveys: the kiosk's configured "visit" and the embedded "lobby".
  std::string visit(kDefaultSurveyToml);
  visit.replace(visit.find("id = \"lobby\""), 12, "id = \"visit\"");
  const std::string path = rig.dir.write("visit.toml", visit);
  rig.set_pin("4321");
  auto run_kiosk = [&](kiosk::SurveySource& surveys) {
    rig.active = surveys.initial();
    return rig.desk_on(surveys);
  };
  {
    kiosk::SurveySource surveys{path, rig.dir.str(), kDefaultSurveyToml, [](const std::string&) {}};
    auto desk = run_kiosk(surveys);
    REQUIRE(rig.active->id == "visit");
    desk->open_pin_pad(rig.now);
    rig.type(*desk, "4321");
    desk->apply(si::ChooseSurvey{"nonexistent"}, rig.now);
    CHECK(desk->view().notice == "Survey nonexistent is not available.");
    CHECK(load_staff_state(staff_state_path(rig.dir.str()))->survey.empty());
    desk->apply(si::ChooseSurvey{"lobby"}, rig.now);
    CHECK(rig.active->id == "lobby");
  }
  // A restart: the configured file would run, but staff chose "lobby".
  kiosk::SurveySource surveys{path, rig.dir.str(), kDefaultSurveyToml, [](const std::string&) {}};
  auto desk = run_kiosk(surveys);
  CHECK(rig.active->id == "lobby");
  // An event on "visit", then back to "lobby" when it ends.
  desk->open_pin_pad(rig.now);
  rig.type(*desk, "4321");
  desk->apply(si::Open{ui::StaffScreen::StartEvent}, rig.now);
  desk->apply(si::EditName{"Open house"}, rig.now);
  desk->apply(si::PickEventSurvey{"visit"}, rig.now);
  desk->apply(si::StartEvent{}, rig.now);
  CHECK(rig.active->id == "visit");
  desk->apply(si::EndEvent{}, rig.now);
  CHECK(rig.active->id == "lobby");
}

TEST_CASE("an event end time is HH:MM or HHMM since the main keyboard layer has no colon") {
  // Starts an event "Spring fair" ending at `typed` (it is 12:00) on a fresh kiosk.
  auto start_ending_at = [](Rig& rig, const std::string& typed) {
    rig.set_pin("4321");
    auto desk = rig.desk();
    desk->open_pin_pad(rig.now);
    rig.type(*desk, "4321");
    desk->apply(si::Open{ui::StaffScreen::StartEvent}, rig.now);
    desk->apply(si::EditName{"Spring fair"}, rig.now);
    desk->apply(si::EditEndTime{typed}, rig.now);
    desk->apply(si::StartEvent{}, rig.now);
    return desk->view().form_error;
  };
  for (const std::string typed : {"17:30", "1730"}) {
    INFO(typed);
    Rig rig;
    CHECK(start_ending_at(rig, typed).empty());
    CHECK(rig.event == "Spring fair");
    CHECK(load_staff_state(staff_state_path(rig.dir.str()))->event->ends_at ==
          static_cast<std::int64_t>(local_time_today(17, 30)));
  }
  for (const std::string typed : {"7:30", "730"}) {  // read as 07:30, which has passed
    INFO(typed);
    Rig rig;
    CHECK_THAT(start_ending_at(rig, typed), Catch::Contains("has already passed"));
    CHECK(rig.event.empty());
  }
  for (const std::string typed : {"17:3", "1:730", "17.30", "17:30:00", "12345", "ab:cd", ":730"}) {
    INFO(typed);
    Rig rig;
    CHECK_THAT(start_ending_at(rig, typed), Catch::Contains("is not a time"));
    CHECK(rig.event.empty());
  }
}

TEST_CASE("an event with an end time ends by itself then") {
  Rig rig;
  StaffState s;
  s.event = EventRecord{"Town hall", "lobby", static_cast<std::int64_t>(local_time_today(13, 0))};
  REQUIRE(save_staff_state(staff_state_path(rig.dir.str()), s).ok());
  auto desk = rig.desk();
  CHECK(rig.event == "Town hall");
  desk->tick(rig.now);
  CHECK(rig.event == "Town hall");
  rig.wall = local_time_today(13, 0);
  desk->tick(rig.now);
  CHECK(rig.event.empty());
  CHECK(load_staff_state(staff_state_path(rig.dir.str()))->last_event == "Town hall");
}

TEST_CASE("a quarantined answer keeps the event report from saying all confirmed") {
  CHECK(ui::event_report_summary({3, 2, 0, 1}) == "3 collected, 2 confirmed by the centre, 0 still pending");
  CHECK(ui::event_report_summary({0, 0, 0, 0}) == "0 collected, 0 confirmed by the centre, 0 still pending");
  CHECK(ui::event_report_summary({3, 3, 0, 0}) == "All 3 confirmed");
}

namespace {

// A PIN check that takes as long as the test wants: it answers (pin == right) once released, or after 5 s.
struct SlowCheck {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> calls{0};

  std::function<bool(const std::string&, const std::string&)> check(std::string right) {
    return [this, right](const std::string&, const std::string& pin) {
      ++calls;
      released.wait_for(std::chrono::seconds(5));
      return pin == right;
    };
  }
};

}  // namespace

TEST_CASE("a PIN is checked on a worker: the desk answers at once, says it is checking, then opens") {
  Rig rig;
  rig.set_pin("4321");
  SlowCheck slow;
  rig.pin_matches = slow.check("4321");
  auto desk = rig.desk();
  desk->open_pin_pad(rig.now);
  for (char c : std::string("4321")) desk->apply(si::Digit{c}, rig.now);
  const auto before = std::chrono::steady_clock::now();
  desk->apply(si::SubmitPin{}, rig.now);
  CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(2));  // did not wait for the hash
  CHECK(desk->checking_pin());
  auto view = desk->view();
  CHECK(view.pin_checking);
  CHECK(view.screen == ui::StaffScreen::PinPad);
  CHECK(view.pin_digits == 0);
  // Keys do nothing meanwhile, and a second Enter starts no second check.
  desk->apply(si::Digit{'9'}, rig.now);
  desk->apply(si::SubmitPin{}, rig.now);
  desk->apply(si::Cancel{}, rig.now);
  CHECK(desk->active());
  CHECK(desk->view().pin_digits == 0);
  // The attempt is on disk as a failure until the answer clears it: killing the app now earns no try.
  CHECK(load_staff_state(staff_state_path(rig.dir.str()))->lockout.failures == 1);
  desk->tick(rig.now);  // not answered yet: still checking
  CHECK(desk->checking_pin());

  slow.release.set_value();
  rig.settle(*desk);
  view = desk->view();
  CHECK_FALSE(view.pin_checking);
  CHECK(view.screen == ui::StaffScreen::Home);
  CHECK(slow.calls == 1);
  CHECK(load_staff_state(staff_state_path(rig.dir.str()))->lockout.failures == 0);
}

TEST_CASE("a wrong PIN checked on a worker is refused and counted once however often Enter is pressed") {
  Rig rig;
  rig.set_pin("4321");
  SlowCheck slow;
  rig.pin_matches = slow.check("4321");
  auto desk = rig.desk();
  desk->open_pin_pad(rig.now);
  for (char c : std::string("1111")) desk->apply(si::Digit{c}, rig.now);
  for (int i = 0; i < 3; ++i) desk->apply(si::SubmitPin{}, rig.now);  // an impatient triple Enter
  REQUIRE(desk->checking_pin());
  slow.release.set_value();
  rig.settle(*desk);
  const auto view = desk->view();
  CHECK(view.screen == ui::StaffScreen::PinPad);
  CHECK(view.pin_message == "Wrong PIN. 4 tries left before the pad locks.");
  CHECK(slow.calls == 1);
  CHECK(load_staff_state(staff_state_path(rig.dir.str()))->lockout.failures == 1);
  // The pad takes keys again.
  desk->apply(si::Digit{'4'}, rig.now);
  CHECK(desk->view().pin_digits == 1);
}

namespace {

// The rig's SQLite outbox, with its reads counted.
class CountingStore : public store::ResponseStore {
 public:
  explicit CountingStore(store::ResponseStore& inner) : inner_(inner) {}
  int reads = 0;

  Expected<store::SaveOutcome> save(const model::Response& r) override { return inner_.save(r); }
  Expected<std::vector<store::StoredResponse>> pending(std::size_t limit) override {
    ++reads;
    return inner_.pending(limit);
  }
  Expected<std::vector<store::StoredResponse>> list(store::Status status, std::size_t limit) override {
    ++reads;
    return inner_.list(status, limit);
  }
  Expected<Ok> mark_uploaded(const std::vector<std::string>& uuids) override {
    return inner_.mark_uploaded(uuids);
  }
  Expected<Ok> quarantine(const std::string& uuid, const std::string& reason) override {
    return inner_.quarantine(uuid, reason);
  }
  Expected<std::optional<store::StoredResponse>> find(const std::string& uuid) override {
    ++reads;
    return inner_.find(uuid);
  }
  Expected<store::StatusCounts> counts() override {
    ++reads;
    return inner_.counts();
  }
  Expected<store::StatusCounts> event_counts(const std::string& event) override {
    ++reads;
    return inner_.event_counts(event);
  }

 private:
  store::ResponseStore& inner_;
};

}  // namespace

TEST_CASE("without an uploader the desk reads the outbox when a staff screen opens, never in a frame") {
  Rig rig;
  rig.set_pin("4321");
  CountingStore counting(*rig.store);
  DeskDeps d;
  d.data_dir = rig.dir.str();
  d.store = &counting;
  d.surveys = &rig.surveys;
  d.boot_clock = [&] { return rig.boot; };
  d.wall_clock = [&] { return rig.wall; };
  d.wake = [&] { rig.woken.release(); };
  DeskHooks h;
  h.set_survey = [&](auto s) { rig.active = std::move(s); };
  h.set_event = [&](const std::string& e) { rig.event = e; };
  h.set_default_language = [](const std::string&) {};
  h.active_survey = [&]() -> const model::SurveyDefinition& { return *rig.active; };
  StaffDesk desk(std::move(d), std::move(h));
  desk.restore();
  REQUIRE(rig.store->save(test_support::lobby_response()).ok());

  desk.open_pin_pad(rig.now);
  for (int frame = 0; frame < 10; ++frame) (void)desk.view();
  CHECK(counting.reads == 0);  // nothing is shown before the PIN
  rig.type(desk, "4321");
  const int on_open = counting.reads;
  CHECK(on_open > 0);
  auto view = desk.view();
  CHECK(view.pending == 1);
  CHECK(view.sync_state == "not enrolled");
  CHECK_THAT(view.oldest_pending, Catch::Contains("(saved "));
  for (int frame = 0; frame < 10; ++frame) view = desk.view();
  CHECK(counting.reads == on_open);

  // A save while the screen is open shows at the next refresh (Sync now), not before.
  REQUIRE(rig.store->save(test_support::lobby_response()).ok());
  CHECK(desk.view().pending == 1);
  desk.apply(si::SyncNow{}, rig.now);
  CHECK(desk.view().pending == 2);
  CHECK(counting.reads > on_open);

  // Ending an event reads its report once.
  desk.apply(si::Open{ui::StaffScreen::StartEvent}, rig.now);
  desk.apply(si::EditName{"Spring fair"}, rig.now);
  desk.apply(si::StartEvent{}, rig.now);
  model::Response r = test_support::lobby_response();
  r.event = "Spring fair";
  REQUIRE(rig.store->save(r).ok());
  desk.apply(si::EndEvent{}, rig.now);
  const int on_report = counting.reads;
  view = desk.view();
  REQUIRE(view.screen == ui::StaffScreen::EventReport);
  CHECK(ui::event_report_summary(view.report) == "1 collected, 0 confirmed by the centre, 1 still pending");
  for (int frame = 0; frame < 10; ++frame) (void)desk.view();
  CHECK(counting.reads == on_report);
}
