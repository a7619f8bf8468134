// Statement parameters for libpq, always bound rather than spliced into SQL text.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/postgres/pg_handle.hpp"

namespace fk::postgres {

// Strings travel in binary format with their length, so the bytes arrive exactly: PostgreSQL refuses a NUL
// or invalid UTF-8 in text instead of truncating it. Numbers and booleans travel as text.
class Params {
 public:
  Params& text(std::string_view s) { return add(std::string(s), 1); }
  Params& bytes(std::string_view s) { return add(std::string(s), 1); }
  Params& integer(std::int64_t v) { return add(std::to_string(v), 0); }
  Params& boolean(bool b) { return add(b ? "true" : "false", 0); }
  // NULL when unset.
  Params& optional_text(const std::optional<std::string>& s);

  // Runs a statement prepared on `c` by name.
  Result run(PGconn* c, const char* statement) const;
  // Runs SQL text once (migrations), parameters still bound.
  Result run_sql(PGconn* c, const char* sql) const;

 private:
  int size() const { return static_cast<int>(values_.size()); }
  struct Arrays {
    std::vector<const char*> values;
    std::vector<int> lengths;
  };
  Arrays arrays() const;
  Params& add(std::string value, int format) {
    values_.push_back(std::move(value));
    formats_.push_back(format);
    return *this;
  }
  std::vector<std::string> values_;
  std::vector<int> formats_;
  std::vector<bool> nulls_;  // may be shorter than values_: the rest are not NULL
};

// Runs a prepared statement that takes no parameters.
inline Result run(PGconn* c, const char* statement) {
  return Params().run(c, statement);
}

}  // namespace fk::postgres
