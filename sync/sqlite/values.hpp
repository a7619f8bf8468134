// Binding values to statements and reading them back, with the size checks SQLite's int lengths need.
#pragma once

#include <sqlite3.h>

#include <climits>
#include <cstddef>
#include <string>

namespace fk::sqlite {

inline int bind_text(sqlite3_stmt* stmt, int index, const std::string& text) {
  if (text.size() > static_cast<std::size_t>(INT_MAX)) return SQLITE_TOOBIG;
  // STATIC: every caller keeps the string alive until its StmtUse resets the statement.
  return sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

// A temporary string would be gone before the statement steps: refused at compile time.
int bind_text(sqlite3_stmt* stmt, int index, std::string&& text) = delete;

// A C string (e.g. an enum's name) is copied by SQLite, so its lifetime does not matter.
inline int bind_text(sqlite3_stmt* stmt, int index, const char* text) {
  return sqlite3_bind_text(stmt, index, text, -1, SQLITE_TRANSIENT);
}

inline int bind_blob(sqlite3_stmt* stmt, int index, const std::string& bytes) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) return SQLITE_TOOBIG;
  return sqlite3_bind_blob(stmt, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
}

// The first failing result of several bind calls, or SQLITE_OK. All the calls have run by then: binding
// after a failed bind is harmless, the statement is not stepped.
template <typename... Binds>
int bind_all(Binds... results) {
  for (int rc : {results...}) {
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

// A TEXT or BLOB column as bytes; NULL and empty both read as "".
inline std::string column_string(sqlite3_stmt* stmt, int column) {
  // Pointer first, then size: that is the order SQLite documents as safe.
  const void* data = sqlite3_column_blob(stmt, column);
  const int size = sqlite3_column_bytes(stmt, column);
  if (data == nullptr || size <= 0) return {};
  return std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

}  // namespace fk::sqlite
