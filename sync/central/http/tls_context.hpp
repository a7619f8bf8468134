// The server's TLS settings: TLS 1.2 and 1.3 only, forward-secret AEAD ciphers, the certificate chain and
// key read from PEM files. A new context is built on every reload, so a bad file leaves the running one.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "sync/model/expected.hpp"

namespace fk::central::http {

// Reads `cert_file` (chain, leaf first) and `key_file` and checks that they belong together.
Expected<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(const std::string& cert_file,
                                                                      const std::string& key_file);

}  // namespace fk::central::http
