// The subcommands: enrolment and the identity lifecycle, fleet listing, surveys and backups on the store
// (`serve` is in serve.cpp; the backup itself in backup.cpp).
#include "sync/central/commands.hpp"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <fstream>
#include <functional>
#include <iomanip>
#include <map>
#include <optional>
#include <ostream>
#include <vector>

#include "sync/central/backup.hpp"
#include "sync/central/open_store.hpp"
#include "sync/central/tokens.hpp"
#include "sync/model/response.hpp"
#include "sync/model/survey_parser.hpp"

namespace fk::central {
namespace {

constexpr std::size_t kMaxNameLength = 64;
constexpr std::size_t kMaxSiteLength = 200;

bool is_valid_site(const std::string& site) {
  if (site.empty() || site.size() > kMaxSiteLength) return false;
  return std::none_of(site.begin(), site.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

std::string format_age(std::int64_t seconds) {
  if (seconds < 60) return std::to_string(seconds) + "s";
  if (seconds < 3600) return std::to_string(seconds / 60) + "m";
  if (seconds < 86400) return std::to_string(seconds / 3600) + "h";
  return std::to_string(seconds / 86400) + "d";
}

// Prints rows as left-aligned columns two spaces apart.
void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out << line << '\n';
  }
}

}  // namespace

Expected<ListenAddress> parse_listen(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return Error{"--listen wants HOST:PORT, got '" + text + "'"};
  ListenAddress address;
  address.host = text.substr(0, colon);
  if (address.host.size() >= 2 && address.host.front() == '[' && address.host.back() == ']') {
    address.host = address.host.substr(1, address.host.size() - 2);
  }
  const std::string port = text.substr(colon + 1);
  const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), address.port);
  if (ec != std::errc() || ptr != port.data() + port.size() || address.port < 0 || address.port > 65535) {
    return Error{"--listen port must be 0-65535, got '" + port + "'"};
  }
  return address;
}

bool is_valid_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

// The expiry stored for --expires-in-days (0: never).
std::int64_t expiry_after(int days) {
  return days > 0 ? unix_seconds_now() + days * kSecondsPerDay : kNeverExpires;
}

// "never", or the expiry in UTC as ISO 8601.
std::string format_expiry(std::int64_t expires_at) {
  if (expires_at == kNeverExpires) return "never";
  const std::time_t t = static_cast<std::time_t>(expires_at);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

bool valid_days(int days, std::ostream& err) {
  if (days >= 0 && days <= 36500) return true;
  err << "error: --expires-in-days must be 0 (never) to 36500\n";
  return false;
}

// What to say about a new token's expiry, ending with a newline.
std::string expiry_note(std::int64_t expires_at) {
  return expires_at == kNeverExpires ? "It does not expire.\n"
                                     : "It expires at " + format_expiry(expires_at) + ".\n";
}

// Opens the store and records a new token through `add`, which stores only its hash. Returns the token to
// print once, or nothing after saying why on `err`.
std::optional<std::string> add_with_new_token(
    const std::string& db, std::ostream& err,
    const std::function<Expected<Ok>(CentralStore&, const std::string& token_sha256)>& add) {
  auto store = open_central_store(db);
  if (!store) {
    err << "error: " << store.error().message << '\n';
    return std::nullopt;
  }
  std::string token = new_token();
  if (auto added = add(**store, token_hash(token)); !added) {
    err << "error: " << added.error().message << '\n';
    return std::nullopt;
  }
  return token;
}

}  // namespace

int kiosk_add(const std::string& db, const std::string& id, const std::string& site, std::ostream& out,
              std::ostream& err, int expires_in_days) {
  if (!is_valid_name(id)) {
    err << "error: a kiosk id is 1-64 characters of A-Z a-z 0-9 . _ -\n";
    return 2;
  }
  if (!is_valid_site(site)) {
    err << "error: --site must be 1-200 printable characters\n";
    return 2;
  }
  if (!valid_days(expires_in_days, err)) return 2;
  const std::int64_t expires_at = expiry_after(expires_in_days);
  const auto token = add_with_new_token(db, err, [&](CentralStore& store, const std::string& hash) {
    return store.add_kiosk(id, site, hash, model::utc_now_iso8601(), expires_at);
  });
  if (!token) return 1;
  // Only the hash is stored: this is the one chance to copy the token. It is alone on the last line so a
  // script can take it with `tail -n 1`.
  out << "Enrolled kiosk '" << id << "' at site '" << site << "'. " << expiry_note(expires_at)
      << "Its token is shown only now; give it to the kiosk with: feedback-kiosk enroll --central URL "
         "--token T\n"
      << *token << '\n';
  return 0;
}

int kiosk_rotate(const std::string& db, const std::string& id, std::ostream& out, std::ostream& err,
                 int expires_in_days) {
  if (!valid_days(expires_in_days, err)) return 2;
  const std::int64_t expires_at = expiry_after(expires_in_days);
  const auto token = add_with_new_token(db, err, [&](CentralStore& store, const std::string& hash) {
    return store.rotate_kiosk(id, hash, expires_at);
  });
  if (!token) return 1;
  out << "New token for kiosk '" << id << "'; the old one is refused from now on. " << expiry_note(expires_at)
      << "It is shown only now; enrol the kiosk again with it:\n"
      << *token << '\n';
  return 0;
}

int kiosk_revoke(const std::string& db, const std::string& id, std::ostream& out, std::ostream& err) {
  auto store = open_central_store(db);
  if (!store) {
    err << "error: " << store.error().message << '\n';
    return 1;
  }
  if (auto revoked = (*store)->revoke_kiosk(id); !revoked) {
    err << "error: " << revoked.error().message << '\n';
    return 1;
  }
  out << "Revoked kiosk '" << id << "'; its token is refused from now on. Its responses are kept.\n";
  return 0;
}

int kiosk_list(const std::string& db, std::ostream& out, std::ostream& err) {
  auto store = open_central_store(db);
  if (!store) {
    err << "error: " << store.error().message << '\n';
    return 1;
  }
  auto kiosks = (*store)->list_kiosks();
  if (!kiosks) {
    err << "error: " << kiosks.error().message << '\n';
    return 1;
  }
  std::vector<std::vector<std::string>> rows = {
      {"ID", "SITE", "REVOKED", "LAST SEEN", "PENDING", "OLDEST PENDING", "QUARANTINED", "LAST ERROR"}};
  for (const KioskRecord& k : *kiosks) {
    rows.push_back({k.id, k.site, k.revoked ? "yes" : "no", k.last_seen_at.empty() ? "never" : k.last_seen_at,
                    std::to_string(k.pending), k.pending > 0 ? format_age(k.oldest_pending_age_s) : "-",
                    std::to_string(k.quarantined), k.last_error.empty() ? "-" : k.last_error});
  }
  print_table(out, rows);
  return 0;
}

int user_add(const std::string& db, const std::string& name, const std::string& role_name, std::ostream& out,
             std::ostream& err, int expires_in_days) {
  if (!is_valid_name(name)) {
    err << "error: a user name is 1-64 characters of A-Z a-z 0-9 . _ -\n";
    return 2;
  }
  const auto role = role_from_string(role_name);
  if (!role) {
    err << "error: --role must be analyst, supervisor or admin\n";
    return 2;
  }
  if (!valid_days(expires_in_days, err)) return 2;
  const std::int64_t expires_at = expiry_after(expires_in_days);
  const auto token = add_with_new_token(db, err, [&](CentralStore& store, const std::string& hash) {
    return store.add_user(name, *role, hash, model::utc_now_iso8601(), expires_at);
  });
  if (!token) return 1;
  out << "Added " << role_name << " '" << name << "'. " << expiry_note(expires_at)
      << "Their token is shown only now:\n"
      << *token << '\n';
  return 0;
}

int user_list(const std::string& db, std::ostream& out, std::ostream& err) {
  auto store = open_central_store(db);
  if (!store) {
    err << "error: " << store.error().message << '\n';
    return 1;
  }
  auto users = (*store)->list_users();
  if (!users) {
    err << "error: " << users.error().message << '\n';
    return 1;
  }
  std::vector<std::vector<std::string>> rows = {{"NAME", "ROLE", "CREATED", "REVOKED", "TOKEN EXPIRES"}};
  for (const UserRecord& u : *users) {
    rows.push_back({u.name, to_string(u.role), u.created_at, u.revoked ? "yes" : "no",
                    format_expiry(u.token_expires_at)});
  }
  print_table(out, rows);
  return 0;
}

int user_revoke(const std::string& db, const std::string& name, std::ostream& out, std::ostream& err) {
  auto store = open_central_store(db);
  if (!store) {
    err << "error: " << store.error().message << '\n';
    return 1;
  }
  if (auto revoked = (*store)->revoke_user(name); !revoked) {
    err << "error: " << revoked.error().message << '\n';
    return 1;
  }
  out << "Revoked user '" << name << "'; their token and dashboard sessions are refused from now on.\n";
  return 0;
}

int user_rotate(const std::string& db, const std::string& name, std::ostream& out, std::ostream& err,
                int expires_in_days) {
  if (!valid_days(expires_in_days, err)) return 2;
  const std::int64_t expires_at = expiry_after(expires_in_days);
  const auto token = add_with_new_token(db, err, [&](CentralStore& store, const std::string& hash) {
    return store.rotate_user(name, hash, expires_at);
  });
  if (!token) return 1;
  out << "New token for user '" << name << "'; the old one and their dashboard sessions are refused from now "
      << "on. " << expiry_note(expires_at) << "It is shown only now:\n"
      << *token << '\n';
  return 0;
}

int backup(const std::string& db, const std::string& to, bool force, std::ostream& out, std::ostream& err) {
  if (is_postgres_conninfo(db)) {
    err << "error: backup copies a SQLite database; for PostgreSQL run\n"
        << "  pg_dump --format=custom --file=FILE '" << redact_conninfo(db) << "'\n"
        << "(restore with pg_restore --clean --dbname=URL FILE)\n";
    return 2;
  }
  auto copied = backup_sqlite(db, to, force);
  if (!copied) {
    err << "error: " << copied.error().message << '\n';
    return 1;
  }
  out << "Backed up '" << db << "' to '" << to << "': " << copied->responses << " responses, "
      << copied->kiosks << " kiosks, " << copied->users << " users, " << copied->bytes << " bytes.\n";
  return 0;
}

namespace {

// Prints a parser's mistakes as the kiosk's `survey check` does.
void print_survey_errors(const std::string& file, const model::SurveyErrors& errors, std::ostream& err) {
  for (const auto& e : errors) err << e.to_string() << '\n';
  err << file << ": " << errors.size() << (errors.size() == 1 ? " error" : " errors") << '\n';
}

// The file's bytes, refused unread past the parser's bound; an unreadable file is one error with line 0.
Expected<std::string, model::SurveyErrors> read_survey_bytes(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return model::SurveyErrors{{file, 0, 0, "cannot read the file"}};
  std::string text(model::kMaxSurveyFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > model::kMaxSurveyFileBytes) {
    return model::SurveyErrors{
        {file, 0, 0,
         "larger than " + std::to_string(model::kMaxSurveyFileBytes) + " bytes; a survey is a few KiB"}};
  }
  return text;
}

}  // namespace

int survey_check(const std::string& file, std::ostream& out, std::ostream& err) {
  auto survey = model::load_survey_file(file);
  if (!survey) {
    print_survey_errors(file, survey.error(), err);
    return 1;
  }
  out << file << ": ok (survey \"" << survey->id << "\" version " << survey->version << ", "
      << survey->questions.size() << " questions)\n";
  return 0;
}

int survey_publish(const std::string& db, const std::string& file, const std::vector<std::string>& sites,
                   const std::vector<std::string>& events, std::ostream& out, std::ostream& err) {
  for (const auto* names : {&sites, &events}) {
    for (const std::string& name : *names) {
      if (!is_valid_site(name)) {
        err << "error: " << (names == &sites ? "--site" : "--event")
            << " must be 1-200 printable characters\n";
        return 2;
      }
    }
  }
  // Everything is checked before the database is opened: a refused file changes nothing.
  auto text = read_survey_bytes(file);
  if (!text) {
    print_survey_errors(file, text.error(), err);
    return 1;
  }
  auto survey = model::parse_survey(*text, file);
  if (!survey) {
    print_survey_errors(file, survey.error(), err);
    return 1;
  }
  auto store = open_central_store(db);
  if (!store) {
    err << "error: " << store.error().message << '\n';
    return 1;
  }
  const PublishedSurvey published{survey->id, survey->version, model::payload_hash(*text), *text,
                                  model::utc_now_iso8601()};
  std::vector<SurveyAssignment> assignments;
  for (const std::string& site : sites) assignments.push_back({AssignmentKind::Site, site, survey->id});
  for (const std::string& event : events) assignments.push_back({AssignmentKind::Event, event, survey->id});
  auto outcome = (*store)->publish_survey(published, assignments);
  if (!outcome) {
    err << "error: " << file << ": " << outcome.error().message << '\n';
    return 1;
  }
  const std::string name = "survey \"" + survey->id + "\" version " + std::to_string(survey->version);
  if (*outcome == PublishOutcome::Created) {
    out << "Published " << name << " (sha256 " << published.sha256.substr(0, 12) << ").\n";
  } else {
    out << "Already published: " << name << " with the same content.\n";
  }
  for (const SurveyAssignment& a : assignments) {
    out << (a.kind == AssignmentKind::Site ? "Lobby survey of site '" : "Survey of event '") << a.target
        << "'.\n";
  }
  if (assignments.empty() && *outcome == PublishOutcome::Created) {
    out << "Not assigned yet: publish again with --site NAME or --event NAME to send it to kiosks.\n";
  }
  return 0;
}

int survey_list(const std::string& db, std::ostream& out, std::ostream& err) {
  auto store = open_central_store(db);
  if (!store) {
    err << "error: " << store.error().message << '\n';
    return 1;
  }
  auto published = (*store)->list_published_surveys();
  auto assignments = published ? (*store)->list_survey_assignments()
                               : Expected<std::vector<SurveyAssignment>>(published.error());
  if (!published || !assignments) {
    err << "error: " << (!published ? published.error().message : assignments.error().message) << '\n';
    return 1;
  }
  std::map<std::string, std::int64_t> newest;
  for (const PublishedSurvey& s : *published) newest[s.id] = std::max(newest[s.id], s.version);
  std::map<std::string, std::string> where;  // survey id → "site X, event Y"
  for (const SurveyAssignment& a : *assignments) {
    std::string& list = where[a.survey_id];
    list += (list.empty() ? "" : ", ") + std::string(to_string(a.kind)) + " " + a.target;
  }
  std::vector<std::vector<std::string>> rows = {{"ID", "VERSION", "SHA256", "PUBLISHED", "RUNS AT"}};
  for (const PublishedSurvey& s : *published) {
    const bool current = newest[s.id] == s.version;
    const std::string runs = !current            ? "- (superseded)"
                             : where.count(s.id) ? where[s.id]
                                                 : "- (not assigned)";
    rows.push_back({s.id, std::to_string(s.version), s.sha256.substr(0, 12), s.published_at, runs});
  }
  print_table(out, rows);
  return 0;
}

}  // namespace fk::central
