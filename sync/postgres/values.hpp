// Reading columns of a text-format libpq result; NULL reads as empty / 0 / false.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sync/postgres/pg_handle.hpp"

namespace fk::postgres {

std::string text_at(const Result& r, int row, int col);
// The cell's bytes without a copy, valid while `r` lives.
std::string_view view_at(const Result& r, int row, int col);
std::int64_t int_at(const Result& r, int row, int col);
bool bool_at(const Result& r, int row, int col);
// A bytea column, unescaped.
std::string bytes_at(const Result& r, int row, int col);
inline int rows(const Result& r) {
  return PQntuples(r.get());
}

}  // namespace fk::postgres
