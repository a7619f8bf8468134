// The centre speaking TLS itself: a real handshake on loopback with throwaway certificates made by the
// openssl command, the kiosk's own libcurl client trusting it by CA file and by pinned key, plain HTTP and
// old protocol versions refused on the TLS port, and a certificate replaced without dropping connections.
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "central_test_support.hpp"
#include "http_test_support.hpp"
#include "sync/uploader/http_client.hpp"
#include "wire_samples.hpp"

namespace fk {
namespace {

using test::LiveCentral;

// A self-signed certificate for 127.0.0.1 with its key, as files in `dir` named `name`.crt/.key.
struct CertFiles {
  std::string cert, key;
};

CertFiles make_certificate(const test_support::TempDir& dir, const std::string& name) {
  CertFiles files{dir.file(name + ".crt"), dir.file(name + ".key")};
  const std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=" + name +
      " -addext subjectAltName=IP:127.0.0.1,DNS:localhost -days 2 -keyout '" + files.key + "' -out '" +
      files.cert + "' 2>/dev/null";
  REQUIRE(std::system(command.c_str()) == 0);
  return files;
}

// "sha256//…" of the certificate's public key, as curl's CURLOPT_PINNEDPUBLICKEY takes it.
std::string public_key_pin(const std::string& cert_file) {
  const std::string command = "openssl x509 -in '" + cert_file +
                              "' -pubkey -noout | openssl pkey -pubin -outform der | "
                              "openssl dgst -sha256 -binary | openssl enc -base64";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char line[256] = {};
  const bool read = std::fgets(line, sizeof line, pipe) != nullptr;
  pclose(pipe);
  REQUIRE(read);
  std::string pin(line);
  while (!pin.empty() && (pin.back() == '\n' || pin.back() == '\r')) pin.pop_back();
  return "sha256//" + pin;
}

central::ServerConfig tls_config(const CertFiles& files) {
  central::ServerConfig config = test::test_config();
  config.tls = {files.cert, files.key};
  return config;
}

std::unique_ptr<httplib::SSLClient> tls_client(const LiveCentral& central, const std::string& ca_file) {
  auto client = std::make_unique<httplib::SSLClient>("127.0.0.1", central.port());
  client->set_ca_cert_path(ca_file.c_str());
  client->enable_server_certificate_verification(true);
  client->set_connection_timeout(5, 0);
  client->set_read_timeout(10, 0);
  client->set_keep_alive(true);
  return client;
}

// The subject CN of the certificate a fresh TLS connection is shown, or "" when the handshake fails.
// `max_version` 0: any the client supports.
std::string handshake_subject(int port, int max_version = 0) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (max_version != 0) {
    SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
    SSL_CTX_set_max_proto_version(ctx, max_version);
    SSL_CTX_set_security_level(ctx, 0);  // let this client offer the old versions at all
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string subject;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (SSL_connect(ssl) == 1) {
      X509* cert = SSL_get1_peer_certificate(ssl);
      if (cert) {
        char cn[256] = {};
        X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
        subject = cn;
        X509_free(cert);
      }
      SSL_shutdown(ssl);
    }
    SSL_free(ssl);
  }
  close(fd);
  SSL_CTX_free(ctx);
  ERR_clear_error();
  return subject;
}

TEST_CASE("over TLS a kiosk's batch is stored and the analyst's query answered", "[http][tls]") {
  test_support::TempDir dir;
  const CertFiles files = make_certificate(dir, "centre-a");
  LiveCentral central(tls_config(files));
  CHECK(central.server().base_url().rfind("https://", 0) == 0);
  auto client = tls_client(central, files.cert);
  client->set_bearer_token_auth(central.kiosk_token.c_str());
  const std::string batch = model::encode_batch({test::sample_item()});
  auto receipt = test::expect_receipt(client->Post(test::kResponsesPath, batch, "application/json"));
  REQUIRE(receipt.results.size() == 1);
  CHECK(receipt.results[0].status == model::ItemStatus::Created);
  CHECK(central.rows() == 1);
  client->set_bearer_token_auth(central.analyst_token.c_str());
  auto aggregates = client->Get("/api/v1/aggregates");
  REQUIRE(aggregates);
  CHECK(aggregates->status == 200);

  // Signing in to the dashboard over the centre's own TLS: the session cookie is Secure.
  auto browser = tls_client(central, files.cert);
  const httplib::Headers origin{{"Origin", "https://127.0.0.1:" + std::to_string(central.port())}};
  auto signed_in =
      browser->Post("/login", origin, "token=" + central.analyst_token, "application/x-www-form-urlencoded");
  REQUIRE(signed_in);
  CHECK(signed_in->status == 303);
  CHECK(signed_in->get_header_value("Set-Cookie").find("; Secure") != std::string::npos);
  // The same form from the plain-HTTP origin of the same host is another origin.
  const httplib::Headers other{{"Origin", "http://127.0.0.1:" + std::to_string(central.port())}};
  auto refused =
      browser->Post("/login", other, "token=" + central.analyst_token, "application/x-www-form-urlencoded");
  REQUIRE(refused);
  CHECK(refused->status == 403);
}

TEST_CASE("the kiosk's client trusts the centre by CA file or by pinned key, and nothing else",
          "[http][tls]") {
  test_support::TempDir dir;
  const CertFiles files = make_certificate(dir, "centre-a");
  const CertFiles stranger = make_certificate(dir, "stranger");
  LiveCentral central(tls_config(files));
  const std::string url = central.server().base_url() + "/api/v1/responses";
  const std::string batch = model::encode_batch({test::sample_item()});

  uploader::HttpOptions by_ca;
  by_ca.ca_file = files.cert;
  auto answered = uploader::HttpClient(by_ca).post_json(url, batch, central.kiosk_token);
  REQUIRE(answered.ok());
  CHECK(answered->status == 201);

  uploader::HttpOptions by_pin;
  by_pin.ca_file = files.cert;
  by_pin.pinned_public_key = public_key_pin(files.cert);
  auto pinned = uploader::HttpClient(by_pin).post_json(url, batch, central.kiosk_token);
  REQUIRE(pinned.ok());
  CHECK(pinned->status == 201);

  uploader::HttpOptions wrong_pin = by_pin;
  wrong_pin.pinned_public_key = public_key_pin(stranger.cert);
  auto refused_pin = uploader::HttpClient(wrong_pin).post_json(url, batch, central.kiosk_token);
  REQUIRE_FALSE(refused_pin.ok());
  CHECK(refused_pin.error().kind == uploader::TransportErrorKind::Tls);

  uploader::HttpOptions wrong_ca;
  wrong_ca.ca_file = stranger.cert;
  auto refused_ca = uploader::HttpClient(wrong_ca).post_json(url, batch, central.kiosk_token);
  REQUIRE_FALSE(refused_ca.ok());
  CHECK(refused_ca.error().kind == uploader::TransportErrorKind::Tls);
  CHECK(central.rows() == 1);  // the replay by pin was a duplicate; the refused ones never arrived
}

TEST_CASE("plain HTTP on the TLS port is told so and closed, and TLS 1.1 does not connect", "[http][tls]") {
  test_support::TempDir dir;
  const CertFiles files = make_certificate(dir, "centre-a");
  LiveCentral central(tls_config(files));
  const std::string request = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  const test::RawAnswer answer = test::raw_exchange(central.port(), request);
  CHECK(answer.status() == 400);
  const auto j = nlohmann::json::parse(answer.body(), nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  CHECK(j["error"]["code"] == "tls_required");
  CHECK(answer.text.find("Connection: close") != std::string::npos);

  CHECK(handshake_subject(central.port()) == "centre-a");
  CHECK(handshake_subject(central.port(), TLS1_1_VERSION).empty());
  CHECK(handshake_subject(central.port(), TLS1_2_VERSION) == "centre-a");
}

TEST_CASE("a new certificate is taken on reload while open connections go on", "[http][tls]") {
  test_support::TempDir dir;
  const CertFiles old_files = make_certificate(dir, "centre-a");
  const CertFiles new_files = make_certificate(dir, "centre-b");
  // The server reads from fixed paths, as under systemd; the files are replaced in place.
  const std::string cert = dir.file("live.crt"), key = dir.file("live.key");
  std::filesystem::copy_file(old_files.cert, cert);
  std::filesystem::copy_file(old_files.key, key);
  LiveCentral central(tls_config({cert, key}));

  // A kept-alive connection opened before the reload.
  auto before = tls_client(central, old_files.cert);
  auto health = before->Get("/api/v1/health");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(handshake_subject(central.port()) == "centre-a");

  // A broken file is refused and the running certificate stays.
  { std::ofstream(cert, std::ios::trunc) << "not a certificate\n"; }
  CHECK_FALSE(central.server().reload_tls().ok());
  CHECK(handshake_subject(central.port()) == "centre-a");

  std::filesystem::copy_file(new_files.cert, cert, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(new_files.key, key, std::filesystem::copy_options::overwrite_existing);
  REQUIRE(central.server().reload_tls().ok());
  CHECK(handshake_subject(central.port()) == "centre-b");
  // The connection from before still answers, on its old session.
  health = before->Get("/api/v1/health");
  REQUIRE(health);
  CHECK(health->status == 200);
  auto after = tls_client(central, new_files.cert);
  health = after->Get("/api/v1/health");
  REQUIRE(health);
  CHECK(health->status == 200);
}

// The real `feedback-central serve`, its standard output read line by line.
class ServeProcess {
 public:
  explicit ServeProcess(std::vector<std::string> args) {
    int out_pipe[2];
    REQUIRE(pipe(out_pipe) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDERR_FILENO);
    posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
    args.insert(args.begin(), FK_CENTRAL_EXE);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    REQUIRE(posix_spawn(&pid_, FK_CENTRAL_EXE, &actions, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
    close(out_pipe[1]);
    out_ = out_pipe[0];
  }
  ~ServeProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(out_);
  }
  // The next line of output, or "" at its end.
  std::string line() {
    std::string text;
    char c = 0;
    while (read(out_, &c, 1) == 1 && c != '\n') text.push_back(c);
    return text;
  }
  // The first line mentioning `text` among the next few (a note on the open-file limit may come first).
  std::string line_with(const std::string& text) {
    for (int i = 0; i < 5; ++i) {
      std::string next = line();
      if (next.find(text) != std::string::npos) return next;
    }
    return {};
  }
  void signal(int number) { REQUIRE(kill(pid_, number) == 0); }
  int wait_exit() {
    int status = 0;
    REQUIRE(waitpid(pid_, &status, 0) == pid_);
    pid_ = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = 0;
  int out_ = -1;
};

TEST_CASE("feedback-central serve speaks TLS and takes a renewed certificate on SIGHUP",
          "[http][tls][process]") {
  test_support::TempDir dir;
  const CertFiles old_files = make_certificate(dir, "centre-a");
  const CertFiles new_files = make_certificate(dir, "centre-b");
  const std::string cert = dir.file("live.crt"), key = dir.file("live.key");
  std::filesystem::copy_file(old_files.cert, cert);
  std::filesystem::copy_file(old_files.key, key);
  ServeProcess serve({"serve", "--listen", "127.0.0.1:0", "--db", dir.file("c.sqlite"), "--tls-cert", cert,
                      "--tls-key", key});
  const std::string first = serve.line_with("listening on");
  INFO(first);
  const auto at = first.find("https://127.0.0.1:");
  REQUIRE(at != std::string::npos);
  const int port = std::stoi(first.substr(at + 18));
  CHECK(handshake_subject(port) == "centre-a");

  std::filesystem::copy_file(new_files.cert, cert, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(new_files.key, key, std::filesystem::copy_options::overwrite_existing);
  serve.signal(SIGHUP);
  CHECK_FALSE(serve.line_with("TLS certificate reloaded").empty());
  CHECK(handshake_subject(port) == "centre-b");
  serve.signal(SIGTERM);
  CHECK(serve.wait_exit() == 0);
}

TEST_CASE("feedback-central serve refuses plain HTTP beyond loopback unless told a proxy is in front",
          "[http][tls][process]") {
  test_support::TempDir dir;
  ServeProcess refused({"serve", "--listen", "0.0.0.0:0", "--db", dir.file("c.sqlite")});
  const std::string reason = refused.line();
  CHECK(reason.find("refusing plain HTTP on 0.0.0.0") != std::string::npos);
  CHECK(reason.find("--tls-cert") != std::string::npos);
  CHECK(refused.wait_exit() == 2);

  ServeProcess proxied({"serve", "--listen", "0.0.0.0:0", "--db", dir.file("c.sqlite"), "--plain-http"});
  CHECK(proxied.line_with("listening on").find("listening on http://0.0.0.0:") != std::string::npos);
  proxied.signal(SIGTERM);
  CHECK(proxied.wait_exit() == 0);
}

}  // namespace
}  // namespace fk
