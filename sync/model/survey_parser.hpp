// Reads a survey definition from TOML and validates it strictly: every mistake names file, line and reason.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sync/model/expected.hpp"
#include "sync/model/survey.hpp"

namespace fk::model {

struct SurveyError {
  std::string file;
  int line = 0;    // 1-based; 0 when the file could not be read at all
  int column = 0;  // 1-based; 0 when unknown
  std::string reason;
  // "file:line:column: reason" (the form compilers use, so editors can jump to it).
  std::string to_string() const;
};

using SurveyErrors = std::vector<SurveyError>;

// A survey file larger than this is rejected unread: a real survey is a few KiB.
inline constexpr std::size_t kMaxSurveyFileBytes = 1024 * 1024;

// Parses `text` as the contents of `file_name` (used only in error messages).
Expected<SurveyDefinition, SurveyErrors> parse_survey(std::string_view text, const std::string& file_name);
// Reads and parses a file; an unreadable file is one error with line 0.
Expected<SurveyDefinition, SurveyErrors> load_survey_file(const std::string& path);

}  // namespace fk::model
