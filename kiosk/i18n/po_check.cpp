#include "kiosk/i18n/po_check.hpp"

#include <gettext-po.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <type_traits>
#include <utility>

namespace fk::i18n {
namespace {

namespace fs = std::filesystem;

// A catalog of a kiosk's few dozen messages is a few kilobytes; anything this big is not one.
constexpr std::uintmax_t kMaxPoFileBytes = 4 * 1024 * 1024;
// The highest argument number a numbered printf directive may name ("%100$d").
constexpr int kMaxPrintfArgument = 99;

constexpr const char* kRunUpdateTemplate = "run translations/update-template.sh";
constexpr const char* kFuzzyReason =
    "fuzzy: msgfmt drops fuzzy entries, so the kiosk would show English; review it and remove the fuzzy flag";

// ---------------------------------------------------------------------------------------------------------
// Text helpers.

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
std::string message_key(const std::optional<std::string>& msgctxt, std::string_view msgid) {
  return msgctxt ? *msgctxt + '\x04' + std::string(msgid) : std::string(msgid);
}

// ---------------------------------------------------------------------------------------------------------
// Where each entry starts. libgettextpo records the line of every msgid but does not expose it
// (po_message_filepos gives the "#:" references into the source code), so the PO text is scanned for the
// lines of its msgid keywords. It only runs on files libgettextpo has accepted.

bool is_octal(char c) {
  return c >= '0' && c <= '7';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Appends the quoted strings of `line` from `i` on, decoding escapes as libgettextpo's lexer does.
void append_po_strings(std::string_view line, size_t i, std::string& out) {
  while (i < line.size()) {
    if (line[i] != '"') {
      ++i;
      continue;
    }
    for (++i; i < line.size() && line[i] != '"'; ++i) {
      if (line[i] != '\\' || i + 1 == line.size()) {
        out += line[i];
        continue;
      }
      const char e = line[++i];
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'b':
          out += '\b';
          break;
        case 'r':
          out += '\r';
          break;
        case 'f':
          out += '\f';
          break;
        case 'v':
          out += '\v';
          break;
        case 'a':
          out += '\a';
          break;
        case 'x': {
          int value = 0;
          while (i + 1 < line.size() && hex_value(line[i + 1]) >= 0)
            value = value * 16 + hex_value(line[++i]);
          out += static_cast<char>(value);
          break;
        }
        default:
          if (is_octal(e)) {
            int value = e - '0';
            for (int digits = 1; digits < 3 && i + 1 < line.size() && is_octal(line[i + 1]); ++digits) {
              value = value * 8 + (line[++i] - '0');
            }
            out += static_cast<char>(value);
          } else {
            out += e;
          }
      }
    }
    ++i;  // the closing quote
  }
}

// Line of the msgid keyword of each live entry, by message key; the first of duplicates wins.
std::map<std::string, int> msgid_lines(const std::string& text) {
  std::map<std::string, int> lines;
  enum class Field { kNone, kContext, kMsgid, kOther };
  Field field = Field::kNone;
  std::string value;
  std::optional<std::string> context;
  int msgid_line = 0;
  const auto finish_field = [&] {
    if (field == Field::kContext) {
      context = value;
    } else if (field == Field::kMsgid) {
      lines.emplace(message_key(context, value), msgid_line);
      context.reset();
    }
    field = Field::kNone;
  };

  std::istringstream in(text);
  std::string raw;
  for (int number = 1; std::getline(in, raw); ++number) {
    const std::string_view line = trim(raw);
    if (line.empty() || line[0] == '#') {  // comments, and "#~" obsolete and "#|" previous entries
      finish_field();
      continue;
    }
    if (line[0] == '"') {  // a continuation string
      if (field == Field::kContext || field == Field::kMsgid) append_po_strings(line, 0, value);
      continue;
    }
    finish_field();
    const std::string_view keyword = line.substr(0, line.find_first_of(" \t\"["));
    if (keyword == "msgctxt") {
      field = Field::kContext;
    } else if (keyword == "msgid") {
      field = Field::kMsgid;
      msgid_line = number;
    } else {
      field = Field::kOther;
      continue;
    }
    value.clear();
    append_po_strings(line, keyword.size(), value);
  }
  finish_field();
  return lines;
}

// ---------------------------------------------------------------------------------------------------------
// Reading a PO file with libgettextpo, into plain values.

struct PoEntry {
  std::optional<std::string> msgctxt;
  std::string msgid;
  std::optional<std::string> msgid_plural;
  std::string msgstr;              // without plural forms
  std::vector<std::string> forms;  // msgstr[0], msgstr[1], … with plural forms
  std::string comments;            // the translator's ("# …")
  bool fuzzy = false;
  bool c_format = false;
  int line = 0;  // of the msgid keyword; 0 when unknown

  std::string key() const { return message_key(msgctxt, msgid); }
  bool is_header() const { return !msgctxt && msgid.empty(); }
};

struct PoCatalog {
  std::optional<PoEntry> header;
  std::vector<PoEntry> entries;  // in file order; neither the header nor obsolete entries
};

// libgettextpo reports through a handler without a user-data pointer, and keeps its reader state in globals:
// one read at a time, and the read in progress is found through `g_parse`.
struct ParseInProgress {
  const std::string& file;
  const std::map<std::string, int>& lines;
  std::vector<PoProblem>& problems;
  int errors = 0;
};
std::mutex g_gettextpo_mutex;
ParseInProgress* g_parse = nullptr;

std::string one_line(const char* text) {
  std::string s = text != nullptr ? text : "";
  while (!s.empty() && s.back() == '\n') s.pop_back();
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

// Records a problem of the read in progress, and returns, whatever the severity, although gettext-po.h says a
// handler must not return from a fatal error. In po_file_read (gettext 0.21's reader, checked) the fatal
// errors are its closing "found N fatal errors", after parsing is done, and a read error, after which the
// lexer carries on as at end of file; the error limit that would make the parser call exit() is UINT_MAX
// there. So returning keeps the check alive and the reader consistent, where exit() would end the build's
// report at the first bad file, and longjmp would leave the file open and this handler installed.
void record_parse_problem(int severity, const char* filename, size_t lineno, std::string text) {
  ParseInProgress& parse = *g_parse;
  const bool error = severity != PO_SEVERITY_WARNING;
  if (filename == nullptr && error && parse.errors > 0) return;  // "found N fatal errors": each is recorded
  const int line = filename != nullptr && lineno != static_cast<size_t>(-1) ? static_cast<int>(lineno) : 0;
  if (!parse.problems.empty()) {  // once per line is enough for "invalid multibyte sequence"
    const PoProblem& last = parse.problems.back();
    if (last.file == parse.file && last.line == line && last.message == text) return;
  }
  parse.problems.push_back({parse.file, line, std::move(text), error});
  if (error) ++parse.errors;
}

void on_xerror(int severity, po_message_t, const char* filename, size_t lineno, size_t, int,
               const char* message_text) {
  try {
    record_parse_problem(severity, filename, lineno, one_line(message_text));
  } catch (...) {  // nothing may unwind through libgettextpo's C frames
  }
}

// Two locations, as for a duplicate: "duplicate message definition" here, "the first definition" there.
void on_xerror2(int severity, po_message_t, const char* filename1, size_t lineno1, size_t, int,
                const char* message_text1, po_message_t message2, const char* filename2, size_t lineno2,
                size_t, int, const char* message_text2) {
  try {
    std::string text = one_line(message_text1);
    int other_line =
        filename2 != nullptr && lineno2 != static_cast<size_t>(-1) ? static_cast<int>(lineno2) : 0;
    if (other_line == 0 && message2 != nullptr) {
      const char* ctxt = po_message_msgctxt(message2);
      const auto it = g_parse->lines.find(
          message_key(ctxt ? std::optional<std::string>(ctxt) : std::nullopt, po_message_msgid(message2)));
      if (it != g_parse->lines.end()) other_line = it->second;
    }
    text += " (" + (other_line > 0 ? "line " + std::to_string(other_line) + ": " : "") +
            one_line(message_text2) + ")";
    record_parse_problem(severity, filename1, lineno1, std::move(text));
  } catch (...) {
  }
}

PoEntry to_entry(po_message_t m, const std::map<std::string, int>& lines) {
  PoEntry e;
  if (const char* ctxt = po_message_msgctxt(m)) e.msgctxt = ctxt;
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
  const auto it = lines.find(e.key());
  e.line = it != lines.end() ? it->second : 0;
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
  const std::map<std::string, int> lines = msgid_lines(text);

  const std::lock_guard<std::mutex> lock(g_gettextpo_mutex);
  ParseInProgress parse{path, lines, problems};
  g_parse = &parse;
  const po_xerror_handler handler{on_xerror, on_xerror2};
  errno = 0;
  const std::unique_ptr<std::remove_pointer_t<po_file_t>, decltype(&po_file_free)> file(
      po_file_read(path.c_str(), &handler), po_file_free);
  g_parse = nullptr;
  if (!file) {
    problems.push_back({path, 0, std::string("cannot read: ") + std::strerror(errno)});
    return std::nullopt;
  }
  if (parse.errors > 0) return std::nullopt;

  PoCatalog catalog;
  const std::unique_ptr<std::remove_pointer_t<po_message_iterator_t>, decltype(&po_message_iterator_free)> it(
      po_message_iterator(file.get(), nullptr), po_message_iterator_free);
  while (po_message_t m = po_next_message(it.get())) {
    if (po_message_is_obsolete(m)) continue;  // "#~" entries: msgmerge keeps them for reference only
    PoEntry entry = to_entry(m, lines);
    if (entry.is_header()) {
      catalog.header = std::move(entry);
    } else {
      catalog.entries.push_back(std::move(entry));
    }
  }
  return catalog;
}

// ---------------------------------------------------------------------------------------------------------
// printf directives.

std::string length_name(std::string_view modifier) {
  if (modifier == "hh") return "char-sized ";
  if (modifier == "h") return "short ";
  if (modifier == "l") return "long ";
  if (modifier == "ll" || modifier == "q") return "long long ";
  if (modifier == "L") return "long ";
  if (modifier == "j") return "intmax ";
  if (modifier == "z" || modifier == "Z") return "size ";
  if (modifier == "t") return "ptrdiff ";
  return "";
}

// The argument type of a conversion; empty for %m, which takes none; nothing for an unknown conversion.
std::optional<std::string> conversion_type(char c) {
  switch (c) {
    case 'd':
    case 'i':
      return "int";
    case 'o':
    case 'u':
    case 'x':
    case 'X':
      return "unsigned";
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
    case 'a':
    case 'A':
      return "double";
    case 'c':
      return "char";
    case 's':
      return "string";
    case 'C':
      return "wide char";
    case 'S':
      return "wide string";
    case 'p':
      return "pointer";
    case 'n':
      return "count";
    case 'm':
      return "";
    default:
      return std::nullopt;
  }
}

// Digits at `i` followed by '$': an argument number, and `i` moves past the '$'. 0 when there is none.
int read_argument_number(std::string_view text, size_t& i, std::string& error) {
  size_t j = i;
  while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
  if (j == i || j == text.size() || text[j] != '$') return 0;
  int number = 0;
  const auto [end, ec] = std::from_chars(text.data() + i, text.data() + j, number);
  if (ec != std::errc() || number < 1 || number > kMaxPrintfArgument) {
    error = "argument number " + std::string(text.substr(i, j - i)) + " is out of range";
    return 0;
  }
  i = j + 1;
  return number;
}

}  // namespace

PrintfArguments scan_printf(std::string_view text) {
  PrintfArguments result;
  std::vector<std::string> unnumbered;
  std::map<int, std::string> numbered;
  std::string first_numbered, first_unnumbered;
  const auto take = [&](int number, const std::string& type, std::string_view directive) {
    if (number == 0) {
      unnumbered.push_back(type);
      if (first_unnumbered.empty()) first_unnumbered = directive;
      return;
    }
    if (first_numbered.empty()) first_numbered = directive;
    const auto [it, inserted] = numbered.emplace(number, type);
    if (!inserted && it->second != type && result.error.empty()) {
      result.error = "argument " + std::to_string(number) + " is used as " + it->second + " and as " + type;
    }
  };

  for (size_t i = 0; i < text.size() && result.error.empty(); ++i) {
    if (text[i] != '%') continue;
    const size_t start = i++;
    if (i < text.size() && text[i] == '%') continue;  // a literal percent sign takes no argument
    // The '*' arguments come before the value's, so they are collected first and taken at the end.
    std::vector<std::pair<int, std::string>> star_arguments;
    const int number = read_argument_number(text, i, result.error);
    if (!result.error.empty()) break;
    while (i < text.size() && std::string_view("-+ #0'I").find(text[i]) != std::string_view::npos) ++i;
    for (const bool precision : {false, true}) {
      if (precision) {
        if (i >= text.size() || text[i] != '.') break;
        ++i;
      }
      if (i < text.size() && text[i] == '*') {
        ++i;
        star_arguments.emplace_back(read_argument_number(text, i, result.error), "int");
        if (!result.error.empty()) break;
      } else {
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
      }
    }
    size_t length_end = i;
    if (text.substr(i, 2) == "hh" || text.substr(i, 2) == "ll") {
      length_end += 2;
    } else if (i < text.size() && std::string_view("hlLqjzZt").find(text[i]) != std::string_view::npos) {
      length_end += 1;
    }
    if (!result.error.empty()) break;
    const std::string length = length_name(text.substr(i, length_end - i));
    i = length_end;
    if (i >= text.size()) {
      result.error = "incomplete directive " + in_quotes(text.substr(start));
      break;
    }
    std::optional<std::string> type;
    if (text[i] == '<') {  // <inttypes.h> macros, which gettext spells "%<PRId64>"
      const size_t close = text.find('>', i);
      if (close == std::string_view::npos) {
        result.error = "incomplete directive " + in_quotes(text.substr(start));
        break;
      }
      type = std::string(text.substr(i, close - i + 1));
      i = close;
    } else {
      type = conversion_type(text[i]);
    }
    const std::string_view directive = text.substr(start, i - start + 1);
    if (!type) {
      result.error = "unknown conversion " + in_quotes(directive);
      break;
    }
    if (type->empty()) continue;  // %m prints strerror(errno) and takes no argument
    result.directives.emplace_back(directive);
    for (const auto& [star_number, star_type] : star_arguments) take(star_number, star_type, directive);
    take(number, length + *type, directive);
  }

  if (result.error.empty() && !first_numbered.empty() && !first_unnumbered.empty()) {
    result.error =
        "mixes numbered (" + first_numbered + ") and unnumbered (" + first_unnumbered + ") directives";
  }
  if (!result.error.empty()) return result;
  result.types = std::move(unnumbered);
  if (!numbered.empty()) {
    for (int n = 1; n <= numbered.rbegin()->first; ++n) {
      const auto it = numbered.find(n);
      if (it == numbered.end()) {
        result.error = "no directive takes argument " + std::to_string(n);
        result.types.clear();
        return result;
      }
      result.types.push_back(it->second);
    }
  }
  return result;
}

namespace {

std::string list_directives(const std::vector<std::string>& directives) {
  if (directives.empty()) return "none";
  std::string out;
  for (const std::string& d : directives) out += (out.empty() ? "" : " ") + d;
  return out;
}

bool has_directives(std::string_view text) {
  const PrintfArguments args = scan_printf(text);
  return args.error.empty() && !args.directives.empty();
}

// Why `translation` cannot stand in for `source` in printf; empty when it can. `form` names a plural form.
std::string placeholder_problem(std::string_view source, std::string_view translation,
                                const std::string& form) {
  const PrintfArguments want = scan_printf(source);
  if (!want.error.empty())
    return "the source text " + in_quotes(source) + " is not a valid format string: " + want.error;
  const PrintfArguments got = scan_printf(translation);
  const std::string what = "translation " + (form.empty() ? "" : form + " ") + in_quotes(translation);
  if (!got.error.empty()) return what + " is not a valid format string: " + got.error;
  if (got.types == want.types) return {};
  return "placeholders differ: " + in_quotes(source) + " has " + list_directives(want.directives) + ", " +
         what + " has " + list_directives(got.directives);
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
  for (const PoEntry& e : tpl.entries) in_template.emplace(e.key(), &e);

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
    if (in_code.count(e.key()) == 0) {
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

// Checks the header entry; returns nplurals when Plural-Forms gives a usable one.
std::optional<int> check_header(const std::string& path, const std::string& lang, const PoCatalog& catalog,
                                std::vector<PoProblem>& out) {
  if (!catalog.header) {
    out.push_back(
        {path, 0, lang + ": no header entry (msgid \"\"): Language, Plural-Forms and charset are unset"});
    return std::nullopt;
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

  const std::optional<std::string> plural_forms = header_field(header.msgstr, "Plural-Forms");
  if (!plural_forms || plural_forms->empty()) {
    out.push_back({path, line, lang + ": the header has no Plural-Forms"});
    return std::nullopt;
  }
  if (plural_forms->find("INTEGER") != std::string::npos ||
      plural_forms->find("EXPRESSION") != std::string::npos) {
    out.push_back({path, line,
                   lang + ": Plural-Forms is still the template's placeholder \"" + *plural_forms +
                       "\"; set the language's rule (see the gettext manual, \"Plural forms\")"});
    return std::nullopt;
  }
  const size_t n_at = plural_forms->find("nplurals=");
  int nplurals = 0;
  if (n_at != std::string::npos) {
    const char* begin = plural_forms->data() + n_at + 9;
    if (std::from_chars(begin, plural_forms->data() + plural_forms->size(), nplurals).ec != std::errc())
      nplurals = 0;
  }
  if (nplurals < 1 ||
      plural_forms->find("plural=", n_at == std::string::npos ? 0 : n_at + 9) == std::string::npos) {
    out.push_back(
        {path, line, lang + ": Plural-Forms \"" + *plural_forms + "\" needs nplurals=N; plural=EXPR"});
    return std::nullopt;
  }
  return nplurals;
}

// Checks one template entry's translation; true when the kiosk can show it.
bool check_entry(const std::string& path, const std::string& lang, const Reference& ref, const PoEntry& e,
                 std::optional<int> nplurals, std::vector<PoProblem>& out) {
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
  const bool format = ref.c_format || e.c_format || has_directives(e.msgid) ||
                      (e.msgid_plural && has_directives(*e.msgid_plural));
  if (!e.msgid_plural) {
    if (e.msgstr.empty()) {
      out.push_back({path, e.line, missing});
      return false;
    }
    if (!format) return true;
    const std::string problem = placeholder_problem(e.msgid, e.msgstr, "");
    if (!problem.empty()) out.push_back({path, e.line, problem});
    return problem.empty();
  }

  bool usable = true;
  if (nplurals && static_cast<int>(e.forms.size()) != *nplurals) {
    out.push_back({path, e.line,
                   lang + ": " + in_quotes(e.msgid) + " has " + std::to_string(e.forms.size()) +
                       " plural forms, but Plural-Forms says nplurals=" + std::to_string(*nplurals)});
    usable = false;
  }
  for (size_t i = 0; i < e.forms.size(); ++i) {
    const std::string form = "msgstr[" + std::to_string(i) + "]";
    if (e.forms[i].empty()) {
      out.push_back({path, e.line, missing + " (" + form + " is empty)"});
      usable = false;
      continue;
    }
    // Every form carries the same directives: with nplurals=1, msgstr[0] stands for the plural too.
    const std::string problem = format ? placeholder_problem(*e.msgid_plural, e.forms[i], form) : "";
    if (!problem.empty()) {
      out.push_back({path, e.line, problem});
      usable = false;
    }
  }
  return usable;
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
  const std::optional<int> nplurals = check_header(path, lang, *catalog, problems);

  std::map<std::string, const Reference*> by_key;
  for (const Reference& r : refs) by_key.emplace(r.key, &r);
  std::map<std::string, const PoEntry*> translated;
  for (const PoEntry& e : catalog->entries) {
    const auto ref = by_key.find(e.key());
    if (ref == by_key.end()) {
      problems.push_back({path, e.line,
                          lang + ": " + in_quotes(e.msgid) + " is not in the template: " +
                              kRunUpdateTemplate + " to make it obsolete, or delete it",
                          false});
      continue;
    }
    translated.emplace(e.key(), &e);
    if (e.comments.find("DRAFT") != std::string::npos) ++summary.drafts;
    if (check_entry(path, lang, *ref->second, e, nplurals, problems)) ++summary.translated;
  }
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
    for (const PoEntry& e : tpl->entries) refs.push_back({e.key(), e.msgid, e.msgid_plural, e.c_format});
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
