// The one place that maps a --db value to a CentralStore backend, and hides its password.
#include "sync/central/open_store.hpp"

#include <regex>

#include "sync/central/postgres_central_store.hpp"
#include "sync/central/sqlite_central_store.hpp"

namespace fk::central {

bool is_postgres_conninfo(const std::string& db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

Expected<std::unique_ptr<CentralStore>> open_central_store(const std::string& db) {
  if (is_postgres_conninfo(db)) {
    auto store = PostgresCentralStore::open(db);
    if (!store) return store.error();
    return std::unique_ptr<CentralStore>(std::move(*store));
  }
  auto store = SqliteCentralStore::open(db);
  if (!store) return store.error();
  return std::unique_ptr<CentralStore>(std::move(*store));
}

std::string redact_conninfo(const std::string& db) {
  static const std::regex url_password(R"(^([a-z]+://[^:/@?]*):[^@/?]*@)");
  static const std::regex key_password(R"(password\s*=\s*('([^'\\]|\\.)*'|\S+))");
  std::string out = std::regex_replace(db, url_password, "$1:***@");
  return std::regex_replace(out, key_password, "password=***");
}

}  // namespace fk::central
