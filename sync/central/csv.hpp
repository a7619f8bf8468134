// CSV (RFC 4180) for analysts: one row per aggregate cell, opened by spreadsheets as it is.
//
// Quoting: a field holding a comma, a double quote, CR or LF is enclosed in double quotes, with quotes
// doubled; every row ends with CRLF.
// Formula-injection guard: a field that starts with = + - @ (or a tab or CR) is prefixed with a single quote
// ', so a spreadsheet shows it as text instead of running it (a site named "=HYPERLINK(...)" stays text).
// Numbers written by aggregates_csv are never negative, so the guard never touches them.
#pragma once

#include <string>
#include <vector>

#include "sync/central/aggregates.hpp"

namespace fk::central {

inline constexpr const char* kUtf8Bom = "\xEF\xBB\xBF";

// One field, guarded and quoted as above.
std::string csv_field(const std::string& field);
// Fields joined by commas, ending with CRLF.
std::string csv_row(const std::vector<std::string>& fields);

// Header, one row per cell, then a last row for the total (key column(s): "total" in the first, the rest
// empty; without grouping a single "scope" column holds it). Columns: the dimensions, responses, suppressed
// (true/false), suppression (below_k/complementary/empty), thanks; then for each question id of any cell,
// sorted: q.<id>.n, .mean (2 decimals), .top_two_share (3 decimals), .dist_1 … .dist_5; then for each pillar
// present: pillar.<name>.n, .mean, .top_two_share. Decimals use '.', rounded half up. A suppressed cell, or a
// question absent from a cell, leaves its number columns empty. `bom` prefixes the UTF-8 byte-order mark so
// Excel reads the file as UTF-8.
std::string aggregates_csv(const AggregateResult& result, bool bom);

// `value` with `decimals` digits after '.', rounded half up (3.625 → "3.63"), whatever the C locale says.
std::string fixed_decimal(double value, int decimals);

}  // namespace fk::central
