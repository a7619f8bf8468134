// Access-log lines (access_log.hpp).
#include "sync/central/http/access_log.hpp"

#include <cstdio>

namespace fk::central::http {
namespace {

void append_escaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '"' || c == '\\') {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else {
      out += c;
    }
  }
}

std::string or_dash(std::string_view text) {
  if (text.empty()) return "-";
  std::string out;
  append_escaped(out, text);
  return out;
}

}  // namespace

std::string redacted_target(std::string_view target) {
  std::string out;
  const auto query_at = target.find('?');
  append_escaped(out, target.substr(0, query_at));
  if (query_at == std::string_view::npos) return out;
  out += '?';
  std::string_view rest = target.substr(query_at + 1);
  bool first = true;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    if (!pair.empty()) {
      if (!first) out += '&';
      append_escaped(out, pair.substr(0, pair.find('=')));
      first = false;
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return out;
}

std::string access_log_line(const Exchange& e) {
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3f", std::chrono::duration<double, std::milli>(e.duration).count());
  std::string line = "access method=" + or_dash(e.method);
  line += " path=" + (e.target.empty() ? std::string("-") : redacted_target(e.target));
  line += " status=" + std::to_string(e.status);
  line += " bytes=" + std::to_string(e.bytes);
  line += " ms=";
  line += ms;
  line += " who=" + or_dash(e.who);
  line += " client=" + or_dash(e.peer_address);
  return line;
}

}  // namespace fk::central::http
