// Binding parameters and running statements with them.
#include "sync/postgres/params.hpp"

namespace fk::postgres {

Params& Params::optional_text(const std::optional<std::string>& s) {
  if (s) return text(*s);
  nulls_.resize(values_.size() + 1, false);
  nulls_.back() = true;
  return add(std::string(), 1);
}

Result Params::run(PGconn* c, const char* statement) const {
  const Arrays a = arrays();
  return Result(PQexecPrepared(c, statement, size(), a.values.data(), a.lengths.data(), formats_.data(), 0));
}

Result Params::run_sql(PGconn* c, const char* sql) const {
  const Arrays a = arrays();
  return Result(PQexecParams(c, sql, size(), nullptr, a.values.data(), a.lengths.data(), formats_.data(), 0));
}

Params::Arrays Params::arrays() const {
  Arrays out;
  for (std::size_t i = 0; i < values_.size(); ++i) {
    const bool null = i < nulls_.size() && nulls_[i];
    out.values.push_back(null ? nullptr : values_[i].c_str());
    out.lengths.push_back(static_cast<int>(values_[i].size()));
  }
  return out;
}

}  // namespace fk::postgres
