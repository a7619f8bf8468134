// feedback-central: the central endpoint's command line. Wiring only; the work is in commands.cpp.
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "sync/central/central_config.hpp"
#include "sync/central/commands.hpp"
#include "sync/central/response_facts.hpp"

extern const std::string_view kDefaultSurveyToml;  // assets/surveys/lobby.toml, embedded at build time

namespace {

// Every subcommand takes --db, defaulting to $FEEDBACK_CENTRAL_DB, then ./central.sqlite.
void add_db_option(CLI::App* command, std::string& db) {
  command
      ->add_option("--db", db, "a SQLite file, or postgresql://… (PostgreSQL, shared by several processes)")
      ->envname("FEEDBACK_CENTRAL_DB")
      ->capture_default_str();
}

// An access-log line on stdout, whole: one write per line, so lines from the I/O thread never interleave
// with the few the main thread prints.
void print_access_line(const std::string& line) {
  std::string out = line + '\n';
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  umask(077);  // the database, its -wal and -shm hold notes, names and token hashes: for this user only
  using namespace fk::central;
  CLI::App app{"feedback-central: receives survey responses from kiosks, exactly once"};
  app.require_subcommand(1);
  std::string db = kDefaultDbPath;
  int code = 0;

  // `serve`: flags bound to one ServeSettings. --config is declared first on purpose: CLI11 assigns options
  // after parsing, in the order they were declared, and only those given, so the file's values land first
  // and every flag given (or FEEDBACK_CENTRAL_DB) overrides them.
  ServeSettings settings;
  settings.database = kDefaultDbPath;
  ServerConfig& config = settings.config;
  std::string config_file, config_error;
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  settings.head_timeout_s = duration_cast<seconds>(config.head_timeout).count();
  settings.read_timeout_s = duration_cast<seconds>(config.read_timeout).count();
  settings.write_timeout_s = duration_cast<seconds>(config.write_timeout).count();
  settings.keep_alive_timeout_s = duration_cast<seconds>(config.keep_alive_timeout).count();
  CLI::App* serve_cmd =
      app.add_subcommand("serve", "Serve the HTTP API until SIGINT/SIGTERM (SIGHUP: reload TLS)");
  serve_cmd
      ->add_option(
          "--config", config_file,
          "A TOML file with these settings (e.g. /etc/feedback-central/central.toml); flags override it")
      ->each([&](const std::string& file) {
        if (auto read = read_central_config(file, settings); !read) config_error = read.error().message;
      });
  add_db_option(serve_cmd, settings.database);
  serve_cmd->add_option("--listen", settings.listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  serve_cmd->add_option("--tls-cert", config.tls.cert_file, "PEM certificate chain: speak HTTPS only");
  serve_cmd->add_option("--tls-key", config.tls.key_file, "PEM private key of --tls-cert");
  serve_cmd->add_flag("--plain-http", settings.plain_http,
                      "Serve plain HTTP on a non-loopback address (only behind a TLS proxy)");
  serve_cmd
      ->add_option("--access-log", settings.access_log, "One line per request: stdout (the journal) or off")
      ->capture_default_str()
      ->check(CLI::IsMember({"stdout", "off"}));
  serve_cmd->add_option("--max-body-bytes", config.limits.max_body_bytes, "Largest request body, after gzip")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  serve_cmd->add_option("--max-items", config.limits.max_items, "Most items in one batch")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  // A batch itself is 3 deep, so less than 3 would refuse everything.
  serve_cmd->add_option("--max-depth", config.limits.max_depth, "Deepest JSON nesting")
      ->capture_default_str()
      ->check(CLI::Range(3, 64));
  serve_cmd->add_option("--max-string-bytes", config.limits.max_string_bytes, "Longest JSON string")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  serve_cmd->add_option("--rate-limit", config.rate.per_second, "Requests per second per kiosk (0: off)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  serve_cmd->add_option("--rate-burst", config.rate.burst, "Requests a kiosk may send at once")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  serve_cmd->add_option("--threads", config.threads, "Worker threads running requests (the database's)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  serve_cmd
      ->add_option("--head-timeout", settings.head_timeout_s, "Seconds a request's head may take to arrive")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  serve_cmd
      ->add_option("--read-timeout", settings.read_timeout_s,
                   "Seconds a body may take before --min-body-rate applies")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  serve_cmd->add_option("--min-body-rate", config.min_body_rate, "Bytes/s a body (or an answer) must average")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  serve_cmd
      ->add_option("--write-timeout", settings.write_timeout_s, "Seconds a client may stall while receiving")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  serve_cmd
      ->add_option("--keep-alive-timeout", settings.keep_alive_timeout_s,
                   "Seconds a connection may idle between requests")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  serve_cmd->add_option("--keep-alive-max", config.keep_alive_max_count, "Requests per connection")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  serve_cmd->add_option("--max-request-line", config.max_request_line, "Longest request line (414 beyond)")
      ->capture_default_str()
      ->check(CLI::Range(256, 1 << 20));
  serve_cmd->add_option("--max-header-count", config.max_header_count, "Most header fields (431 beyond)")
      ->capture_default_str()
      ->check(CLI::Range(8, 10000));
  serve_cmd->add_option("--max-header-bytes", config.max_header_bytes, "Largest request head (431 beyond)")
      ->capture_default_str()
      ->check(CLI::Range(1024, 1 << 20));
  serve_cmd
      ->add_option("--max-connections", config.max_connections,
                   "Open connections (the longest idle go first)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  serve_cmd
      ->add_option("--max-body-memory", config.body_memory_bytes,
                   "Bytes of request bodies in progress at once (503 beyond)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  serve_cmd->add_option("--survey", settings.survey_files,
                        "A survey file whose questions the centre should know (pillars, thank-you notes); "
                        "repeatable. The lobby survey is always known.");
  serve_cmd
      ->add_option("--k", config.min_k, "Smallest group an aggregate shows (cells below it are suppressed)")
      ->capture_default_str()
      ->check(CLI::Range(3, 1000000));
  serve_cmd->callback([&] {
    if (!config_error.empty()) {
      std::cerr << "error: " << config_error << '\n';
      code = 2;
      return;
    }
    auto address = parse_listen(settings.listen);
    if (!address) {
      std::cerr << "error: " << address.error().message << '\n';
      code = 2;
      return;
    }
    config.host = address->host;
    config.port = address->port;
    config.head_timeout = std::chrono::seconds(settings.head_timeout_s);
    config.read_timeout = std::chrono::seconds(settings.read_timeout_s);
    config.write_timeout = std::chrono::seconds(settings.write_timeout_s);
    config.keep_alive_timeout = std::chrono::seconds(settings.keep_alive_timeout_s);
    auto surveys = load_surveys(kDefaultSurveyToml, settings.survey_files);
    if (!surveys) {
      std::cerr << "error: " << surveys.error().message << '\n';
      code = 2;
      return;
    }
    config.surveys = std::move(*surveys);
    if (settings.access_log == "stdout") config.access_log = print_access_line;
    code = serve(settings.database, config, settings.plain_http, std::cout, std::cerr);
  });

  // --expires-in-days of the token-issuing commands: 0 (the default) is never.
  int expires_in_days = 0;
  auto add_expiry_option = [&](CLI::App* command) {
    command->add_option("--expires-in-days", expires_in_days, "Refuse the new token after N days (0: never)")
        ->check(CLI::Range(0, 36500));
  };

  CLI::App* kiosk_cmd = app.add_subcommand("kiosk", "Enrol, rotate, revoke and list kiosks");
  kiosk_cmd->require_subcommand(1);
  std::string kiosk_id, site;
  CLI::App* kiosk_add_cmd =
      kiosk_cmd->add_subcommand("add", "Enrol a kiosk (a revoked id again) and print its one-time token");
  add_db_option(kiosk_add_cmd, db);
  kiosk_add_cmd->add_option("ID", kiosk_id, "Kiosk id, e.g. central-lobby-1")->required();
  kiosk_add_cmd->add_option("--site", site, "Division or event the kiosk serves")->required();
  add_expiry_option(kiosk_add_cmd);
  kiosk_add_cmd->callback(
      [&] { code = kiosk_add(db, kiosk_id, site, std::cout, std::cerr, expires_in_days); });
  CLI::App* kiosk_rotate_cmd =
      kiosk_cmd->add_subcommand("rotate", "Print a new token for a kiosk; the old one is refused at once");
  add_db_option(kiosk_rotate_cmd, db);
  kiosk_rotate_cmd->add_option("ID", kiosk_id, "Kiosk id")->required();
  add_expiry_option(kiosk_rotate_cmd);
  kiosk_rotate_cmd->callback(
      [&] { code = kiosk_rotate(db, kiosk_id, std::cout, std::cerr, expires_in_days); });
  CLI::App* kiosk_revoke_cmd = kiosk_cmd->add_subcommand("revoke", "Refuse a kiosk's token from now on");
  add_db_option(kiosk_revoke_cmd, db);
  kiosk_revoke_cmd->add_option("ID", kiosk_id, "Kiosk id")->required();
  kiosk_revoke_cmd->callback([&] { code = kiosk_revoke(db, kiosk_id, std::cout, std::cerr); });
  CLI::App* kiosk_list_cmd = kiosk_cmd->add_subcommand("list", "Show each kiosk's last contact and backlog");
  add_db_option(kiosk_list_cmd, db);
  kiosk_list_cmd->callback([&] { code = kiosk_list(db, std::cout, std::cerr); });

  CLI::App* user_cmd =
      app.add_subcommand("user", "Add, list, rotate and revoke analyst, supervisor and admin users");
  user_cmd->require_subcommand(1);
  std::string user_name, role;
  CLI::App* user_add_cmd = user_cmd->add_subcommand("add", "Add a user and print their one-time token");
  add_db_option(user_add_cmd, db);
  user_add_cmd->add_option("NAME", user_name, "User name")->required();
  user_add_cmd->add_option("--role", role, "analyst, supervisor or admin")
      ->required()
      ->check(CLI::IsMember({"analyst", "supervisor", "admin"}));
  add_expiry_option(user_add_cmd);
  user_add_cmd->callback(
      [&] { code = user_add(db, user_name, role, std::cout, std::cerr, expires_in_days); });
  CLI::App* user_list_cmd = user_cmd->add_subcommand("list", "Show users: role, created, revoked, expiry");
  add_db_option(user_list_cmd, db);
  user_list_cmd->callback([&] { code = user_list(db, std::cout, std::cerr); });
  CLI::App* user_revoke_cmd =
      user_cmd->add_subcommand("revoke", "Refuse a user's token and end their dashboard sessions now");
  add_db_option(user_revoke_cmd, db);
  user_revoke_cmd->add_option("NAME", user_name, "User name")->required();
  user_revoke_cmd->callback([&] { code = user_revoke(db, user_name, std::cout, std::cerr); });
  CLI::App* user_rotate_cmd = user_cmd->add_subcommand(
      "rotate", "Print a new token for a user; the old one and their sessions are refused at once");
  add_db_option(user_rotate_cmd, db);
  user_rotate_cmd->add_option("NAME", user_name, "User name")->required();
  add_expiry_option(user_rotate_cmd);
  user_rotate_cmd->callback(
      [&] { code = user_rotate(db, user_name, std::cout, std::cerr, expires_in_days); });

  CLI::App* backup_cmd = app.add_subcommand(
      "backup", "Copy the SQLite database to FILE while the server runs (PostgreSQL: use pg_dump)");
  add_db_option(backup_cmd, db);
  std::string backup_file;
  bool backup_force = false;
  backup_cmd->add_option("--to", backup_file, "The backup file (written beside, then renamed)")->required();
  backup_cmd->add_flag("--force", backup_force, "Replace FILE if it exists");
  backup_cmd->callback([&] { code = backup(db, backup_file, backup_force, std::cout, std::cerr); });

  CLI::App* survey_cmd = app.add_subcommand("survey", "Check, publish and list surveys for the kiosks");
  survey_cmd->require_subcommand(1);
  std::string survey_file;
  std::vector<std::string> survey_sites, survey_events;
  CLI::App* survey_check_cmd =
      survey_cmd->add_subcommand("check", "Validate a survey file (file, line, reason)");
  survey_check_cmd->add_option("FILE", survey_file, "Survey TOML file")->required();
  survey_check_cmd->callback([&] { code = survey_check(survey_file, std::cout, std::cerr); });
  CLI::App* survey_publish_cmd = survey_cmd->add_subcommand(
      "publish", "Store a survey version (immutable) and assign it to sites or events");
  add_db_option(survey_publish_cmd, db);
  survey_publish_cmd->add_option("FILE", survey_file, "Survey TOML file")->required();
  survey_publish_cmd->add_option("--site", survey_sites, "Make it this site's lobby survey (repeatable)");
  survey_publish_cmd->add_option("--event", survey_events, "Offer it for this event (repeatable)");
  survey_publish_cmd->callback(
      [&] { code = survey_publish(db, survey_file, survey_sites, survey_events, std::cout, std::cerr); });
  CLI::App* survey_list_cmd = survey_cmd->add_subcommand("list", "Show published surveys and where they run");
  add_db_option(survey_list_cmd, db);
  survey_list_cmd->callback([&] { code = survey_list(db, std::cout, std::cerr); });

  CLI11_PARSE(app, argc, argv);
  return code;
}
