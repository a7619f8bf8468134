#include "tools/translations_check/po_check.hpp"

#include <gettext-po.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <type_traits>
#include <utility>

namespace fk::i18n {
namespace {

namespace fs = std::filesystem;

// A catalog of a kiosk's few dozen messages is a few kilobytes; anything this big is not one.
constexpr std::uintmax_t kMaxPoFileBytes = 4 * 1024 * 1024;

constexpr const char* kRunUpdateTemplate = "run translations/update-template.sh";
constexpr const char* kFuzzyReason =
    "fuzzy: msgfmt drops fuzzy entries, so the kiosk would show English; review it and remove the fuzzy flag";

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

std::string_view trim(std::string_view s) {
  const size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

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
    const std::string_view line = trim(raw);
    if (line.size() > 5 && line.compare(0, 5, "msgid") == 0 && (line[5] == ' ' || line[5] == '"'))
      lines.push_back(number);
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------------------
// Reading a PO file with libgettextpo, into plain values.

struct PoEntry {
  po_message_t message = nullptr;  // owned by the catalog's file
  std::string key, msgid;
  std::optional<std::string> msgid_plural;
  std::string msgstr;              // without plural forms
  std::vector<std::string> forms;  // msgstr[0], msgstr[1], … with plural forms
  std::string comments;            // the translator's ("# …")
  bool fuzzy = false;
  bool c_format = false;
  int line = 0;  // of the msgid keyword; 0 when unknown
};

using PoFile = std::unique_ptr<std::remove_pointer_t<po_file_t>, decltype(&po_file_free)>;

struct PoCatalog {
  PoFile file{nullptr, po_file_free};
  std::map<po_message_t, int> lines;  // of each entry's msgid keyword
  std::optional<PoEntry> header;
  std::vector<PoEntry> entries;  // in file order; neither the header nor obsolete entries
};

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

// The file's entries; nothing when it cannot be read or does not parse, the reasons added to `problems`.
std::optional<PoCatalog> read_catalog(const std::string& path, std::vector<PoProblem>& problems) {
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
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

// msgfmt --check's checks (po_file_check_all) of the entries not marked fuzzy; returns the entries with an
// error. Untranslated and fuzzy entries are skipped by gettext, as msgfmt skips them.
std::set<po_message_t> check_with_gettext(const std::string& path, const std::string& lang,
                                          const PoCatalog& catalog, std::vector<PoProblem>& problems) {
  const std::lock_guard<std::mutex> lock(g_gettextpo_mutex);
  GettextCall call{path, problems, &catalog.lines, lang};
  g_call = &call;
  po_file_check_all(catalog.file.get(), &kHandler);
  g_call = nullptr;
  return std::move(call.rejected);
}

// ---------------------------------------------------------------------------------------------------------
// The checks.

// What each language must translate: the template's entries (or the code's, when there is no template).
struct Reference {
  std::string key, msgid;
  std::optional<std::string> plural;
  bool c_format = false;
};

std::string join_path(const std::string& dir, const std::string& name) {
  return (fs::path(dir) / name).string();
}

void check_template(const std::string& pot, const PoCatalog& tpl, const CodeMessages& code,
                    std::vector<PoProblem>& out) {
  std::map<std::string, const PoEntry*> in_template;
  for (const PoEntry& e : tpl.entries) in_template.emplace(e.key, &e);

  std::map<std::string, std::optional<std::string>> in_code;
  const auto check_code_message = [&](const std::string& msgid, const std::optional<std::string>& plural) {
    in_code.emplace(msgid, plural);
    const auto it = in_template.find(msgid);
    if (it == in_template.end()) {
      out.push_back({pot, 0,
                     "message " + in_quotes(msgid) +
                         " is used in the code but missing from the template: " + kRunUpdateTemplate});
      return;
    }
    const PoEntry& e = *it->second;
    if (plural == e.msgid_plural) return;
    std::string text = "message " + in_quotes(msgid) + " has ";
    text += plural ? "the plural " + in_quotes(*plural) + " in the code" : "no plural form in the code";
    text += e.msgid_plural ? " but the plural " + in_quotes(*e.msgid_plural) + " in the template"
                           : " but none in the template";
    out.push_back({pot, e.line, text + ": " + kRunUpdateTemplate});
  };
  for (const std::string& msgid : code.singular) check_code_message(msgid, std::nullopt);
  for (const CodeMessages::Plural& p : code.plurals) check_code_message(p.singular, p.plural);

  for (const PoEntry& e : tpl.entries) {
    if (in_code.count(e.key) == 0) {
      out.push_back({pot, e.line,
                     "message " + in_quotes(e.msgid) +
                         " is in the template but no longer in the code: " + kRunUpdateTemplate});
    }
  }
}

std::optional<std::string> header_field(const std::string& header, std::string_view name) {
  std::istringstream in(header);
  for (std::string line; std::getline(in, line);) {
    if (line.size() > name.size() && line.compare(0, name.size(), name) == 0 && line[name.size()] == ':') {
      return std::string(trim(std::string_view(line).substr(name.size() + 1)));
    }
  }
  return std::nullopt;
}

// What gettext does not check of the header: that it counts, and that it names the language and UTF-8.
// (Plural-Forms is gettext's: po_file_check_all.)
void check_header(const std::string& path, const std::string& lang, const PoCatalog& catalog,
                  std::vector<PoProblem>& out) {
  if (!catalog.header) {
    out.push_back(
        {path, 0, lang + ": no header entry (msgid \"\"): Language, Plural-Forms and charset are unset"});
    return;
  }
  const PoEntry& header = *catalog.header;
  const int line = header.line;
  if (header.fuzzy) {
    out.push_back({path, line,
                   lang +
                       ": the header is fuzzy: msgfmt then ignores it (Plural-Forms, charset); review it and "
                       "remove the fuzzy flag"});
  }

  const std::optional<std::string> language = header_field(header.msgstr, "Language");
  if (!language || language->empty()) {
    out.push_back({path, line, lang + ": the header has no Language (expected \"Language: " + lang + "\")"});
  } else if (!(language->compare(0, lang.size(), lang) == 0 &&
               (language->size() == lang.size() ||
                std::string_view("_-@").find((*language)[lang.size()]) != std::string_view::npos))) {
    out.push_back({path, line, lang + ": the header says \"Language: " + *language + "\", expected " + lang});
  }

  const std::optional<std::string> content_type = header_field(header.msgstr, "Content-Type");
  const size_t charset_at = content_type ? content_type->find("charset=") : std::string::npos;
  if (charset_at == std::string::npos) {
    out.push_back(
        {path, line, lang + ": the header has no charset (\"Content-Type: text/plain; charset=UTF-8\")"});
  } else {
    const std::string_view rest = std::string_view(*content_type).substr(charset_at + 8);
    const std::string_view charset = trim(rest.substr(0, rest.find_first_of("; ")));
    if (!iequals(charset, "UTF-8")) {
      out.push_back({path, line, lang + ": the charset is " + std::string(charset) + ", expected UTF-8"});
    }
  }
}

// What gettext does not check of an entry: that it is translated, not fuzzy, and has the template's plural.
// True when the entry is left for gettext's checks.
bool check_entry(const std::string& path, const std::string& lang, const Reference& ref, const PoEntry& e,
                 std::vector<PoProblem>& out) {
  if (e.fuzzy) {
    out.push_back({path, e.line, lang + ": " + in_quotes(e.msgid) + " is " + kFuzzyReason});
    return false;
  }
  if (ref.plural != e.msgid_plural) {
    std::string text = lang + ": " + in_quotes(e.msgid);
    if (!ref.plural) {
      text += " has plural forms here but not in the template";
    } else if (!e.msgid_plural) {
      text += " has no plural forms here but the template has";
    } else {
      text += " has the plural " + in_quotes(*e.msgid_plural) + " here but " + in_quotes(*ref.plural) +
              " in the template";
    }
    out.push_back({path, e.line, text + ": " + kRunUpdateTemplate});
    return false;
  }
  const std::string missing = lang + ": missing translation of " + in_quotes(e.msgid);
  if (!e.msgid_plural) {
    if (!e.msgstr.empty()) return true;
    out.push_back({path, e.line, missing});
    return false;
  }
  bool complete = true;
  for (size_t i = 0; i < e.forms.size(); ++i) {
    if (!e.forms[i].empty()) continue;
    out.push_back({path, e.line, missing + " (msgstr[" + std::to_string(i) + "] is empty)"});
    complete = false;
  }
  return complete;
}

LanguageSummary check_language(const std::string& path, const std::string& lang,
                               const std::vector<Reference>& refs, std::vector<PoProblem>& out) {
  LanguageSummary summary{lang, 0, static_cast<int>(refs.size()), 0, false};
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    out.push_back({path, 0,
                   lang + ": the translation file " + path +
                       " is missing; create it with: msginit --no-translator "
                       "--locale=" +
                       lang + " --input=messages.pot --output-file=" + lang + ".po"});
    return summary;
  }
  const std::optional<PoCatalog> catalog = read_catalog(path, out);
  if (!catalog) return summary;
  summary.checked = true;

  // Problems of this file go out in line order, like a compiler's.
  std::vector<PoProblem> problems;
  check_header(path, lang, *catalog, problems);

  std::map<std::string, const Reference*> by_key;
  for (const Reference& r : refs) by_key.emplace(r.key, &r);
  std::map<std::string, const PoEntry*> translated;
  std::vector<const PoEntry*> passed;  // our checks; gettext's follow
  for (const PoEntry& e : catalog->entries) {
    const auto ref = by_key.find(e.key);
    if (ref == by_key.end()) {
      problems.push_back({path, e.line,
                          lang + ": " + in_quotes(e.msgid) + " is not in the template: " +
                              kRunUpdateTemplate + " to make it obsolete, or delete it",
                          false});
    } else {
      translated.emplace(e.key, &e);
      if (e.comments.find("DRAFT") != std::string::npos) ++summary.drafts;
      if (check_entry(path, lang, *ref->second, e, problems)) {
        passed.push_back(&e);
        // The template's c-format flag holds for the translation too: a translator may not drop it.
        if (ref->second->c_format) po_message_set_format(e.message, "c-format", 1);
        continue;
      }
    }
    // Reported already, or not the template's: gettext skips fuzzy entries, so none is reported twice.
    po_message_set_fuzzy(e.message, 1);
  }
  const std::set<po_message_t> rejected = check_with_gettext(path, lang, *catalog, problems);
  summary.translated = static_cast<int>(std::count_if(
      passed.begin(), passed.end(), [&](const PoEntry* e) { return rejected.count(e->message) == 0; }));
  for (const Reference& r : refs) {
    if (translated.count(r.key) == 0)
      problems.push_back({path, 0, lang + ": missing translation of " + in_quotes(r.msgid)});
  }
  std::stable_sort(problems.begin(), problems.end(),
                   [](const PoProblem& a, const PoProblem& b) { return a.line < b.line; });
  out.insert(out.end(), problems.begin(), problems.end());
  return summary;
}

}  // namespace

bool TranslationReport::ok() const {
  return std::none_of(problems.begin(), problems.end(), [](const PoProblem& p) { return p.error; });
}

TranslationReport check_translations(const std::string& dir, const CodeMessages& code,
                                     const std::vector<std::string>& languages) {
  TranslationReport report;
  const std::string pot = join_path(dir, "messages.pot");
  std::vector<Reference> refs;

  std::optional<PoCatalog> tpl;
  std::error_code ec;
  if (!fs::exists(pot, ec)) {
    report.problems.push_back({pot, 0, std::string("the template is missing: ") + kRunUpdateTemplate});
  } else {
    tpl = read_catalog(pot, report.problems);
  }
  if (tpl) {
    check_template(pot, *tpl, code, report.problems);
    for (const PoEntry& e : tpl->entries) refs.push_back({e.key, e.msgid, e.msgid_plural, e.c_format});
  } else {  // still check the languages, against what the code uses
    for (const std::string& m : code.singular) refs.push_back({m, m, std::nullopt, false});
    for (const CodeMessages::Plural& p : code.plurals)
      refs.push_back({p.singular, p.singular, p.plural, false});
  }

  for (const std::string& lang : languages) {
    report.languages.push_back(check_language(join_path(dir, lang + ".po"), lang, refs, report.problems));
  }
  return report;
}

std::string format_report(const TranslationReport& report) {
  std::ostringstream out;
  int errors = 0, warnings = 0;
  for (const PoProblem& p : report.problems) {
    out << p.file;
    if (p.line > 0) out << ':' << p.line;
    out << (p.error ? ": error: " : ": warning: ") << p.message << '\n';
    ++(p.error ? errors : warnings);
  }
  for (const LanguageSummary& l : report.languages) {
    out << l.language << ": ";
    if (!l.checked) {
      out << "not checked (see the errors above)\n";
      continue;
    }
    out << l.translated << '/' << l.total << " translated";
    if (l.drafts > 0)
      out << ", " << l.drafts << (l.drafts == 1 ? " draft" : " drafts") << " awaiting native review";
    out << '\n';
  }
  const auto count = [](int n, const char* what) {
    return std::to_string(n) + ' ' + what + (n == 1 ? "" : "s");
  };
  if (errors == 0) {
    out << "translations: OK" << (warnings > 0 ? " (" + count(warnings, "warning") + ")" : "") << '\n';
  } else {
    out << "translations: " << count(errors, "error")
        << (warnings > 0 ? ", " + count(warnings, "warning") : "") << '\n';
  }
  return out.str();
}

}  // namespace fk::i18n
