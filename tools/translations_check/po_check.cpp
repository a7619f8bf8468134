#include "tools/translations_check/po_check.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>

#include "tools/translations_check/po_file.hpp"

namespace fk::i18n {
namespace {

namespace fs = std::filesystem;

constexpr const char* kRunUpdateTemplate = "run translations/update-template.sh";
constexpr const char* kFuzzyReason =
    "fuzzy: msgfmt drops fuzzy entries, so the kiosk would show English; review it and remove the fuzzy flag";

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
