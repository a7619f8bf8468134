// scan_head: one pass over the raw head, line by line.
#include "sync/central/http/head_scan.hpp"

namespace fk::central::http {

HeadScan scan_head(std::string_view bytes, const HeadLimits& limits) {
  std::size_t pos = 0;
  std::size_t fields = 0;
  bool first = true;
  for (;;) {
    const std::size_t line_start = pos;
    const std::size_t lf = bytes.find('\n', line_start);
    const std::size_t seen = (lf == std::string_view::npos ? bytes.size() : lf) - line_start;
    // Judge the line's length on what has arrived, so an endless line stops at its bound.
    if (first && seen > limits.max_request_line + 1) return {HeadVerdict::RequestLineTooLong};
    if ((lf == std::string_view::npos ? bytes.size() : lf + 1) > limits.max_head_bytes)
      return {HeadVerdict::HeadersTooLarge};
    if (lf == std::string_view::npos) return {HeadVerdict::NeedMore};
    if (lf == line_start || bytes[lf - 1] != '\r') return {HeadVerdict::BadLineEnding};
    const std::string_view line = bytes.substr(line_start, lf - 1 - line_start);
    if (line.find('\r') != std::string_view::npos) return {HeadVerdict::BadLineEnding};
    pos = lf + 1;
    if (first) {
      if (line.size() > limits.max_request_line) return {HeadVerdict::RequestLineTooLong};
      first = false;
      continue;
    }
    if (line.empty()) return {HeadVerdict::Complete, pos};
    if (line.front() == ' ' || line.front() == '\t') return {HeadVerdict::ObsoleteFolding};
    if (++fields > limits.max_header_count) return {HeadVerdict::HeadersTooLarge};
  }
}

}  // namespace fk::central::http
