#include "kiosk/cli.hpp"

#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <istream>
#include <ostream>

#include "kiosk/staff/pin.hpp"
#include "kiosk/staff/staff_file.hpp"
#include "kiosk/survey_source.hpp"
#include "sync/model/survey_parser.hpp"
#include "sync/store/memory_response_store.hpp"
#include "sync/store/sqlite_response_store.hpp"

namespace fk::kiosk {
namespace {

constexpr std::size_t kQuarantineShown = 20;  // `status` lists this many quarantined responses
constexpr std::size_t kMaxPinLineBytes = 64;  // a PIN line longer than this is refused unread
constexpr std::size_t kMaxTokenBytes = 4096;  // far beyond any token `feedback-central kiosk add` prints

// One line from `in`, without its newline (cut after `max_bytes` + 1, so a caller can refuse it as too
// long); with echo off on standard input when it is a terminal.
std::optional<std::string> read_secret(std::istream& in, bool terminal, std::ostream& prompt_out,
                                       const char* prompt, std::size_t max_bytes = kMaxPinLineBytes) {
  termios saved{};
  const bool quiet = terminal && tcgetattr(STDIN_FILENO, &saved) == 0;
  if (terminal) prompt_out << prompt << std::flush;
  if (quiet) {
    termios noecho = saved;
    noecho.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &noecho);
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(in, line));
  if (quiet) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    prompt_out << "\n";
  }
  if (!got) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.size() > max_bytes) line.resize(max_bytes + 1);  // still refused as too long
  return line;
}

std::string trimmed(std::string text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && blank(text.back())) text.pop_back();
  std::size_t start = 0;
  while (start < text.size() && blank(text[start])) ++start;
  return text.substr(start);
}

}  // namespace

int run_set_pin(const KioskConfig& config, std::istream& in, bool terminal, std::ostream& out,
                std::ostream& err) {
  const std::string path = staff::staff_state_path(config.data_dir);
  auto state = staff::load_staff_state(path);
  if (!state) {
    err << "feedback-kiosk: " << state.error().message << "; the PIN was not changed\n";
    return 1;
  }
  const auto first = read_secret(in, terminal, err, "New staff PIN (4-8 digits): ");
  if (!first) {
    err << "feedback-kiosk: no PIN given on standard input; the PIN was not changed\n";
    return 2;
  }
  if (auto ok = staff::check_pin_format(*first); !ok) {
    err << "feedback-kiosk: " << ok.error().message << "; the PIN was not changed\n";
    return 2;
  }
  const auto second = read_secret(in, terminal, err, "The same PIN again: ");
  if (!second || *second != *first) {
    err << "feedback-kiosk: the two PINs differ; the PIN was not changed\n";
    return 2;
  }
  auto hash = staff::hash_pin(*first);
  if (!hash) {
    err << "feedback-kiosk: " << hash.error().message << "; the PIN was not changed\n";
    return 1;
  }
  if (auto dir = ensure_data_dir(config.data_dir); !dir) {
    err << "feedback-kiosk: " << dir.error().message << "; the PIN was not changed\n";
    return 1;
  }
  state->pin_hash = *hash;
  state->lockout = staff::LockoutRecord{};  // whoever can run this may also clear the PIN pad's lock
  if (auto saved = staff::save_staff_state(path, *state); !saved) {
    err << "feedback-kiosk: " << saved.error().message << "; the PIN was not changed\n";
    return 1;
  }
  out << "staff PIN set (" << path << ")\n";
  return 0;
}

int run_status(const KioskConfig& config, std::string_view embedded_survey, std::ostream& out,
               std::ostream& err) {
  out << "data directory: " << config.data_dir << "\n";
  SurveySource surveys(config.survey, config.data_dir, embedded_survey,
                       [&](const std::string& m) { err << "feedback-kiosk: " << m << "\n"; });
  const auto survey = surveys.initial();
  out << "active survey:  " << survey->id << " version " << survey->version << " (" << surveys.origin()
      << ")\n";
  std::error_code ec;
  if (!std::filesystem::exists(config.store_path(), ec)) {
    out << "responses:      none yet (" << config.store_path() << " does not exist)\n";
    return 0;
  }
  auto store = store::SqliteResponseStore::open(config.store_path());
  if (!store) {
    err << "feedback-kiosk: " << store.error().message << "\n";
    return 1;
  }
  auto counts = (*store)->counts();
  if (!counts) {
    err << "feedback-kiosk: " << counts.error().message << "\n";
    return 1;
  }
  out << "responses:      " << counts->total() << " (pending " << counts->pending << ", uploaded "
      << counts->uploaded << ", quarantined " << counts->quarantined << ")\n";
  if (auto pending = (*store)->pending(1); pending && !pending->empty()) {
    out << "oldest pending: saved " << pending->front().saved_at << "\n";
  }
  out << "central:        " << (config.enrolled() ? config.central_url : "not enrolled") << "\n";
  // Quarantined responses wait for an administrator: show each with the centre's reason.
  if (auto quarantined = (*store)->list(store::Status::Quarantined, kQuarantineShown); quarantined) {
    for (const auto& row : *quarantined) {
      out << "  quarantined " << row.uuid << " (saved " << row.saved_at << "): " << row.quarantine_reason
          << "\n";
    }
    if (counts->quarantined > static_cast<std::int64_t>(quarantined->size())) {
      out << "  … and " << counts->quarantined - static_cast<std::int64_t>(quarantined->size()) << " more\n";
    }
  }
  return 0;
}

uploader::UploaderConfig uploader_config(const KioskConfig& config) {
  uploader::UploaderConfig u;
  u.central_url = config.central_url;
  u.token = config.central_token;
  u.ca_file = config.ca_file;
  u.pinned_public_key = config.pinned_public_key;
  u.heartbeat_interval = config.heartbeat_interval;
  u.app_version = FK_APP_VERSION;
  u.surveys_dir = config.data_dir + "/surveys";  // where SurveySource looks for the centre's surveys
  return u;
}

Expected<std::string> read_enroll_token(const std::string& token_file, std::istream& in, bool terminal,
                                        std::ostream& prompt_out) {
  std::optional<std::string> line;
  std::string from = "standard input";
  if (!token_file.empty()) {
    from = token_file;
    std::ifstream file(token_file);
    if (!file) return Error{"cannot read the token file " + token_file + ": " + std::strerror(errno)};
    line = read_secret(file, false, prompt_out, "", kMaxTokenBytes);
  } else {
    line =
        read_secret(in, terminal, prompt_out, "Token (from `feedback-central kiosk add`): ", kMaxTokenBytes);
  }
  const std::string token = trimmed(line.value_or(""));
  if (token.empty()) return Error{"no token on " + from + " (its first line holds it)"};
  if (token.size() > kMaxTokenBytes) return Error{"the token on " + from + " is too long"};
  return token;
}

int run_enroll(const KioskConfig& config, const std::string& enrollment_file, const std::string& url,
               const std::string& token, std::ostream& out, std::ostream& err) {
  if (!(url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0) || token.empty()) {
    err << "feedback-kiosk: enroll needs --central http(s)://HOST[:PORT] and a token (standard input or "
           "--token-file)\n";
    return 2;
  }
  KioskConfig trial = config;
  trial.central_url = url;
  trial.central_token = token;
  store::MemoryResponseStore nothing;  // a heartbeat needs counts; the real outbox is not touched
  uploader::Uploader probe(nothing, uploader_config(trial));
  const uploader::SyncError checked = probe.heartbeat_once();
  if (checked == uploader::SyncError::NotAuthorised) {
    err << "feedback-kiosk: the centre at " << url << " refused this token; nothing was saved\n";
    return 1;
  }
  if (auto written = write_enrollment(enrollment_file, url, token); !written) {
    err << "feedback-kiosk: " << written.error().message << "\n";
    return 1;
  }
  if (checked != uploader::SyncError::None) {
    err << "feedback-kiosk: warning: could not reach " << url << " to check the token ("
        << probe.status()->last_error << "); saved anyway, the kiosk will keep trying\n";
  }
  out << "enrolled with " << url << " (" << enrollment_file << ")\n";
  return 0;
}

int run_sync_once(const KioskConfig& config, std::ostream& out, std::ostream& err) {
  if (!config.enrolled()) {
    err << "feedback-kiosk: not enrolled: run `feedback-kiosk enroll --central URL < token-file` first\n";
    return 2;
  }
  // A kiosk that has not run yet has no outbox: nothing to send, and its data directory is made ready.
  if (auto dir = ensure_data_dir(config.data_dir); !dir) {
    err << "feedback-kiosk: " << dir.error().message << "\n";
    return 1;
  }
  std::error_code ec;
  if (!std::filesystem::exists(config.store_path(), ec)) {
    out << "nothing to send (no responses yet in " << config.data_dir << ")\n";
    return 0;
  }
  auto store = store::SqliteResponseStore::open(config.store_path());
  if (!store) {
    err << "feedback-kiosk: " << store.error().message << "\n";
    return 1;
  }
  uploader::Uploader uploader(**store, uploader_config(config));
  const uploader::SyncResult result = uploader.sync_once();
  out << "delivered " << result.delivered << ", quarantined " << result.quarantined << ", pending "
      << result.pending_left << "\n";
  if (result.error != uploader::SyncError::None) {
    err << "feedback-kiosk: sync stopped: " << uploader::to_string(result.error) << ": " << result.message
        << "\n";
  }
  return result.complete() ? 0 : 1;
}

int run_survey_check(const std::string& file, std::ostream& out, std::ostream& err) {
  auto survey = model::load_survey_file(file);
  if (!survey) {
    for (const auto& e : survey.error()) err << e.to_string() << "\n";
    err << file << ": " << survey.error().size() << (survey.error().size() == 1 ? " error" : " errors")
        << "\n";
    return 1;
  }
  out << file << ": ok (survey \"" << survey->id << "\" version " << survey->version << ", "
      << survey->questions.size() << " questions)\n";
  return 0;
}

}  // namespace fk::kiosk
