// Column readers for text-format results.
#include "sync/postgres/values.hpp"

#include <charconv>
#include <new>

namespace fk::postgres {

std::string text_at(const Result& r, int row, int col) {
  if (PQgetisnull(r.get(), row, col)) return {};
  return std::string(view_at(r, row, col));
}

std::string_view view_at(const Result& r, int row, int col) {
  return std::string_view(PQgetvalue(r.get(), row, col),
                          static_cast<std::size_t>(PQgetlength(r.get(), row, col)));
}

std::int64_t int_at(const Result& r, int row, int col) {
  const std::string_view s = view_at(r, row, col);
  std::int64_t value = 0;
  std::from_chars(s.data(), s.data() + s.size(), value);
  return value;
}

bool bool_at(const Result& r, int row, int col) {
  return text_at(r, row, col) == "t";
}

std::string bytes_at(const Result& r, int row, int col) {
  std::size_t length = 0;
  unsigned char* raw =
      PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(r.get(), row, col)), &length);
  if (raw == nullptr) throw std::bad_alloc();  // the only way it fails
  std::string out(reinterpret_cast<const char*>(raw), length);
  PQfreemem(raw);
  return out;
}

}  // namespace fk::postgres
