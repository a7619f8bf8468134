#include "tools/translations_check/po_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <utility>

namespace fk::i18n {
namespace {

// A catalog of a kiosk's few dozen messages is a few kilobytes; anything this big is not one.
constexpr std::uintmax_t kMaxPoFileBytes = 4 * 1024 * 1024;

// The key gettext looks a message up by: the context, EOT, then the msgid.
std::string message_key(po_message_t m) {
  const char* ctxt = po_message_msgctxt(m);
  return ctxt != nullptr ? std::string(ctxt) + '\x04' + po_message_msgid(m)
                         : std::string(po_message_msgid(m));
}

bool is_header(po_message_t m) {
  return po_message_msgctxt(m) == nullptr && *po_message_msgid(m) == '\0';
}

// Lines of the msgid keywords, in file order. libgettextpo records the line of every entry but does not
// expose it (po_message_filepos gives the "#:" references into the code); it does list the entries in file
// order, so the n-th msgid keyword is the n-th entry's. Comments, "#~" obsolete and "#|" previous entries
// start with '#' and continuation strings with '"', so neither is counted.
std::vector<int> msgid_lines(const std::string& text) {
  std::vector<int> lines;
  std::istringstream in(text);
  std::string raw;
  for (int number = 1; std::getline(in, raw); ++number) {
    const std::string_view line =
        std::string_view(raw).substr(std::min(raw.find_first_not_of(" \t"), raw.size()));
    if (line.size() > 5 && line.compare(0, 5, "msgid") == 0 && (line[5] == ' ' || line[5] == '"'))
      lines.push_back(number);
  }
  return lines;
}

// libgettextpo reports through a handler without a user-data pointer, and keeps its reader state in globals:
// one call at a time, and the call in progress is found through `g_call`.
struct GettextCall {
  const std::string& file;
  std::vector<PoProblem>& problems;
  const std::map<po_message_t, int>* lines = nullptr;  // while checking a catalog that was read
  std::string language;                                // while checking: its problems start "es: "
  int errors = 0;
  std::set<po_message_t> rejected = {};  // messages gettext found an error in
};
std::mutex g_gettextpo_mutex;
GettextCall* g_call = nullptr;

std::string one_line(const char* text) {
  std::string s = text != nullptr ? text : "";
  while (!s.empty() && s.back() == '\n') s.pop_back();
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

// The line gettext gives; else that of the message's msgid, as for the checks' header and plural problems.
int line_of(po_message_t m, const char* filename, size_t lineno) {
  if (filename != nullptr && lineno != static_cast<size_t>(-1)) return static_cast<int>(lineno);
  if (m == nullptr || g_call->lines == nullptr) return 0;
  const auto it = g_call->lines->find(m);
  return it != g_call->lines->end() ? it->second : 0;
}

// What a check's problem is about: the language, and the entry unless it is the header.
std::string subject(po_message_t m) {
  if (g_call->language.empty()) return "";
  return g_call->language + ": " +
         (m != nullptr && !is_header(m) ? in_quotes(po_message_msgid(m)) + ": " : std::string());
}

// Records a problem of the call in progress, and returns, whatever the severity, although gettext-po.h says a
// handler must not return from a fatal error. In po_file_read (gettext 0.21's reader, checked) the fatal
// errors are its closing "found N fatal errors", after parsing is done, and a read error, after which the
// lexer carries on as at end of file; the error limit that would make the parser call exit() is UINT_MAX
// there. So returning keeps the check alive and the reader consistent, where exit() would end the build's
// report at the first bad file, and longjmp would leave the file open and this handler installed.
void record(int severity, po_message_t m, const char* filename, int line, std::string text) {
  GettextCall& call = *g_call;
  const bool error = severity != PO_SEVERITY_WARNING;
  const bool reading = call.lines == nullptr;
  if (reading && filename == nullptr && error && call.errors > 0) return;  // "found N fatal errors"
  if (!call.problems.empty()) {  // once per line is enough for "invalid multibyte sequence"
    const PoProblem& last = call.problems.back();
    if (last.file == call.file && last.line == line && last.message == text) return;
  }
  call.problems.push_back({call.file, line, std::move(text), error});
  if (!error) return;
  ++call.errors;
  if (m != nullptr) call.rejected.insert(m);
}

void on_xerror(int severity, po_message_t m, const char* filename, size_t lineno, size_t, int,
               const char* message_text) {
  try {
    record(severity, m, filename, line_of(m, filename, lineno), subject(m) + one_line(message_text));
  } catch (...) {  // nothing may unwind through libgettextpo's C frames
  }
}

// Two places: a duplicate and its first definition, or the header's nplurals and an entry with other counts.
void on_xerror2(int severity, po_message_t m1, const char* filename1, size_t lineno1, size_t, int,
                const char* message_text1, po_message_t m2, const char* filename2, size_t lineno2, size_t,
                int, const char* message_text2) {
  try {
    const int line2 = line_of(m2, filename2, lineno2);
    std::string where2 = line2 > 0 ? "line " + std::to_string(line2) + ": " : "";
    if (m2 != nullptr && !is_header(m2)) where2 += in_quotes(po_message_msgid(m2)) + ": ";
    record(severity, m1, filename1, line_of(m1, filename1, lineno1),
           subject(m1) + one_line(message_text1) + " (" + where2 + one_line(message_text2) + ")");
    if (severity != PO_SEVERITY_WARNING && m2 != nullptr) g_call->rejected.insert(m2);
  } catch (...) {
  }
}

constexpr po_xerror_handler kHandler{on_xerror, on_xerror2};

PoEntry to_entry(po_message_t m) {
  PoEntry e;
  e.message = m;
  e.key = message_key(m);
  e.msgid = po_message_msgid(m);
  if (const char* plural = po_message_msgid_plural(m)) {
    e.msgid_plural = plural;
    for (int i = 0; const char* form = po_message_msgstr_plural(m, i); ++i) e.forms.emplace_back(form);
  } else {
    e.msgstr = po_message_msgstr(m);
  }
  e.comments = po_message_comments(m);
  e.fuzzy = po_message_is_fuzzy(m) != 0;
  e.c_format = po_message_is_format(m, "c-format") != 0;
  return e;
}

}  // namespace

std::string in_quotes(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
  return out + '"';
}

std::optional<PoCatalog> read_catalog(const std::string& path, std::vector<PoProblem>& problems) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) {
    problems.push_back({path, 0, "cannot read: " + ec.message()});
    return std::nullopt;
  }
  if (size > kMaxPoFileBytes) {
    problems.push_back(
        {path, 0,
         "is " + std::to_string(size) + " bytes; a catalog has at most " + std::to_string(kMaxPoFileBytes)});
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::string text(size, '\0');
  if (!in.read(text.data(), static_cast<std::streamsize>(size))) {
    problems.push_back({path, 0, std::string("cannot read: ") + std::strerror(errno)});
    return std::nullopt;
  }

  PoCatalog catalog;
  {
    const std::lock_guard<std::mutex> lock(g_gettextpo_mutex);
    GettextCall call{path, problems, nullptr, ""};
    g_call = &call;
    errno = 0;
    catalog.file.reset(po_file_read(path.c_str(), &kHandler));
    g_call = nullptr;
    if (!catalog.file) {
      problems.push_back({path, 0, std::string("cannot read: ") + std::strerror(errno)});
      return std::nullopt;
    }
    if (call.errors > 0) return std::nullopt;
  }

  const std::vector<int> lines = msgid_lines(text);
  size_t index = 0;
  const std::unique_ptr<std::remove_pointer_t<po_message_iterator_t>, decltype(&po_message_iterator_free)> it(
      po_message_iterator(catalog.file.get(), nullptr), po_message_iterator_free);
  while (po_message_t m = po_next_message(it.get())) {
    if (po_message_is_obsolete(m)) continue;  // "#~" entries: msgmerge keeps them for reference only
    PoEntry entry = to_entry(m);
    entry.line = index < lines.size() ? lines[index] : 0;
    ++index;
    catalog.lines.emplace(m, entry.line);
    if (is_header(m)) {
      catalog.header = std::move(entry);
    } else {
      catalog.entries.push_back(std::move(entry));
    }
  }
  if (index != lines.size()) {  // a "domain" keyword, say: better no line than a wrong one
    for (auto& [message, line] : catalog.lines) line = 0;
    for (PoEntry& e : catalog.entries) e.line = 0;
    if (catalog.header) catalog.header->line = 0;
  }
  return catalog;
}

std::set<po_message_t> check_with_gettext(const std::string& path, const std::string& lang,
                                          const PoCatalog& catalog, std::vector<PoProblem>& problems) {
  const std::lock_guard<std::mutex> lock(g_gettextpo_mutex);
  GettextCall call{path, problems, &catalog.lines, lang};
  g_call = &call;
  po_file_check_all(catalog.file.get(), &kHandler);
  g_call = nullptr;
  return std::move(call.rejected);
}

}  // namespace fk::i18n
