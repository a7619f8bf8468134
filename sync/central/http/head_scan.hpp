// The bounds and framing rules a request's head is held to before any parser sees it (RFC 9112 leaves the
// sizes to the server): a request line too long is 414, too many or too large header fields 431, an
// obsolete line folding 400. Judged on the raw bytes as they arrive, so an endless line is refused as soon
// as it passes its bound, never buffered whole.
#pragma once

#include <cstddef>
#include <string_view>

namespace fk::central::http {

struct HeadLimits {
  std::size_t max_request_line;  // bytes, without its CRLF
  std::size_t max_header_count;  // header fields
  std::size_t max_head_bytes;    // the whole head, request line and the blank line included
};

enum class HeadVerdict {
  NeedMore,            // no end of head yet, and nothing over a bound
  Complete,            // the head ends within the bytes seen: `head_size` says where
  RequestLineTooLong,  // 414
  HeadersTooLarge,     // 431: too many fields or too many bytes
  ObsoleteFolding,     // 400: a field line starting with a space or tab
  BadLineEnding,       // 400: a bare CR or LF
};

struct HeadScan {
  HeadVerdict verdict = HeadVerdict::NeedMore;
  std::size_t head_size = 0;  // with Complete: bytes up to and including the blank line
};

// `bytes` is what has arrived of the connection's next request, empty lines before it already skipped.
HeadScan scan_head(std::string_view bytes, const HeadLimits& limits);

}  // namespace fk::central::http
