// make_tls_context on OpenSSL through Asio's ssl::context.
#include "sync/central/http/tls_context.hpp"

#include <openssl/ssl.h>

namespace fk::central::http {
namespace {

namespace ssl = boost::asio::ssl;

// TLS 1.2 suites with forward secrecy and AEAD only (Mozilla's "intermediate" list); TLS 1.3's own
// suites are all of that kind and keep OpenSSL's defaults.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

}  // namespace

Expected<std::shared_ptr<ssl::context>> make_tls_context(const std::string& cert_file,
                                                         const std::string& key_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  // No renegotiation (a CPU lever for a client) and the server's cipher order.
  SSL_CTX_set_options(native,
                      SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1)
    return Error{"OpenSSL refused the TLS 1.2 cipher list"};
  boost::system::error_code ec;
  context->use_certificate_chain_file(cert_file, ec);
  if (ec) return Error{"cannot read the TLS certificate " + cert_file + ": " + ec.message()};
  context->use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) return Error{"cannot read the TLS key " + key_file + ": " + ec.message()};
  if (SSL_CTX_check_private_key(native) != 1)
    return Error{"the TLS key " + key_file + " does not match the certificate " + cert_file};
  return context;
}

}  // namespace fk::central::http
