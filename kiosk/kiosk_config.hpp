// The kiosk's settings: embedded defaults, overridden by a TOML file (strictly checked) and then by flags.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "kiosk/flow/visit_flow.hpp"
#include "kiosk/schedule/opening_hours.hpp"
#include "sync/model/expected.hpp"

namespace fk::kiosk {

// The longest department text ([scope] help, complaints or note_readers, one language) a config may set.
inline constexpr std::size_t kMaxScopeTextBytes = 600;

// The department's own words, by language tag ([scope] in kiosk.toml). A language not given shows the
// catalog's default text in that language, never another language's text.
struct ScopeTexts {
  std::map<std::string, std::string> help;          // the body of the "Need help now?" overlay
  std::map<std::string, std::string> complaints;    // where complaints go (attract, help, low-rating thanks)
  std::map<std::string, std::string> note_readers;  // who reads a thank-you note (note, employee, thanks)
};

struct KioskConfig {
  std::string data_dir;               // where responses.sqlite lives
  std::optional<std::string> survey;  // a survey file; none: the embedded lobby survey
  flow::FlowConfig flow;              // flow.default_language: the attract screen's language
  // A directory of compiled catalogs (<dir>/<tag>/LC_MESSAGES/feedback-kiosk.mo) used instead of the ones built
  // into the binary, so a translator can try a catalog without rebuilding.
  std::string catalog_dir;
  // The central endpoint ([central] in kiosk.toml, or enrollment.toml written by `feedback-kiosk enroll`).
  std::string central_url;
  std::string central_token;
  std::string ca_file;            // optional CA bundle for the centre's certificate
  std::string pinned_public_key;  // optional "sha256//…" pin
  std::chrono::seconds heartbeat_interval{300};
  bool enrolled() const { return !central_url.empty() && !central_token.empty(); }

  schedule::OpeningHours hours;  // [hours]; none: always open
  ScopeTexts scope;              // [scope]

  bool fullscreen = true;
  // Run on SDL's offscreen or dummy driver (tests, benchmarks): --allow-headless or
  // FEEDBACK_KIOSK_ALLOW_HEADLESS=1. Otherwise the kiosk refuses to start where nobody can see it.
  bool allow_headless = false;
  int window_width = 1920;
  int window_height = 1080;

  std::string store_path() const { return data_dir + "/responses.sqlite"; }
};

// $XDG_DATA_HOME/feedback-kiosk, else ~/.local/share/feedback-kiosk, else /var/lib/feedback-kiosk.
std::string default_data_dir();
// $XDG_CONFIG_HOME/feedback-kiosk/kiosk.toml, else ~/.config/feedback-kiosk/kiosk.toml.
std::string default_config_path();

// enrollment.toml beside the config file: the central URL and this kiosk's token, written by `enroll`.
std::string enrollment_path(const std::string& config_path);
// enrollment.toml in the data directory: where `enroll --data-dir DIR` writes it, so the kiosk's own user
// (the unit's, which cannot write /etc) reads it. It overrides the one beside the config file.
std::string data_dir_enrollment_path(const std::string& data_dir);
// Reads the data directory's enrollment file over `config`'s central URL and token, when there is one.
Expected<Ok> read_data_dir_enrollment(KioskConfig& config);
// Writes it (owner-only permissions: it holds a secret). Written by root into a directory another user owns
// (sudo feedback-kiosk enroll --data-dir /var/lib/feedback-kiosk), it is given to that user.
Expected<Ok> write_enrollment(const std::string& path, const std::string& url, const std::string& token);

// Reads `path` over the defaults, then the enrollment file beside it when there is one. A missing file at the default path is fine (defaults apply); a missing
// explicit file, an unknown key or a bad value is an error naming file, line and reason.
Expected<KioskConfig> load_config(const std::string& path, bool must_exist);

// Creates the data directory (and parents) if needed, owner-only (0700); says why when it cannot.
Expected<Ok> ensure_data_dir(const std::string& dir);

}  // namespace fk::kiosk
