#include "kiosk/staff/staff_file.hpp"

#include <toml++/toml.h>

#include <filesystem>
#include <sstream>

#include "sync/store/atomic_file.hpp"

namespace fk::kiosk::staff {
namespace {

std::string where(const std::string& path, const toml::node& node) {
  return path + ":" + std::to_string(node.source().begin.line);
}

}  // namespace

std::string staff_state_path(const std::string& data_dir) {
  return data_dir + "/staff.toml";
}

Expected<StaffState> load_staff_state(const std::string& path) {
  StaffState state;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return state;
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Error{path + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description())};
  }
  // Every key is checked: a typo must not silently drop a lock or a PIN.
  auto bad = [&](const toml::node& node, const std::string& reason) {
    return Error{where(path, node) + ": " + reason};
  };
  for (auto&& [key, node] : root) {
    const std::string k(key.str());
    if (k == "pin_hash") {
      if (!node.is_string()) return bad(node, "pin_hash must be a string");
      state.pin_hash = node.as_string()->get();
    } else if (k == "default_language") {
      if (!node.is_string()) return bad(node, "default_language must be a string");
      state.default_language = node.as_string()->get();
    } else if (k == "survey") {
      if (!node.is_string()) return bad(node, "survey must be a string");
      state.survey = node.as_string()->get();
    } else if (k == "last_event") {
      if (!node.is_string()) return bad(node, "last_event must be a string");
      state.last_event = node.as_string()->get();
    } else if (k == "lockout") {
      const toml::table* t = node.as_table();
      if (!t) return bad(node, "[lockout] must be a table");
      for (auto&& [lk, lnode] : *t) {
        const std::string l(lk.str());
        if (l == "failures" && lnode.is_integer() && lnode.as_integer()->get() >= 0) {
          state.lockout.failures =
              static_cast<int>(std::min<std::int64_t>(lnode.as_integer()->get(), 1'000'000));
        } else if (l == "boot_id" && lnode.is_string()) {
          state.lockout.boot_id = lnode.as_string()->get();
        } else if (l == "locked_until_ms" && lnode.is_integer() && lnode.as_integer()->get() >= 0) {
          state.lockout.locked_until_ms = lnode.as_integer()->get();
        } else {
          return bad(lnode, "unknown or malformed key lockout." + l);
        }
      }
    } else if (k == "event") {
      const toml::table* t = node.as_table();
      if (!t) return bad(node, "[event] must be a table");
      EventRecord event;
      for (auto&& [ek, enode] : *t) {
        const std::string e(ek.str());
        if (e == "name" && enode.is_string()) {
          event.name = enode.as_string()->get();
        } else if (e == "survey_id" && enode.is_string()) {
          event.survey_id = enode.as_string()->get();
        } else if (e == "ends_at" && enode.is_integer()) {
          event.ends_at = enode.as_integer()->get();
        } else {
          return bad(enode, "unknown or malformed key event." + e);
        }
      }
      if (event.name.empty()) return bad(node, "[event] needs a name");
      state.event = event;
    } else {
      return bad(node, "unknown key " + k);
    }
  }
  return state;
}

Expected<Ok> save_staff_state(const std::string& path, const StaffState& state) {
  toml::table root;
  if (!state.pin_hash.empty()) root.insert("pin_hash", state.pin_hash);
  if (!state.default_language.empty()) root.insert("default_language", state.default_language);
  if (!state.survey.empty()) root.insert("survey", state.survey);
  if (!state.last_event.empty()) root.insert("last_event", state.last_event);
  toml::table lockout{{"failures", state.lockout.failures},
                      {"boot_id", state.lockout.boot_id},
                      {"locked_until_ms", state.lockout.locked_until_ms}};
  root.insert("lockout", lockout);
  if (state.event) {
    toml::table event{{"name", state.event->name}, {"survey_id", state.event->survey_id}};
    if (state.event->ends_at) event.insert("ends_at", *state.event->ends_at);
    root.insert("event", event);
  }
  std::ostringstream text;
  text << "# Written by feedback-kiosk (staff screen, admin set-pin). Holds the staff PIN's Argon2id hash.\n"
       << root << "\n";
  return store::write_file_atomically(path, text.str(), 0600);
}

}  // namespace fk::kiosk::staff
