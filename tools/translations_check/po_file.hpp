// A PO file as GNU gettext's libgettextpo reads it, for the translation check (po_check.hpp): its entries as
// plain values with the line of each, and msgfmt --check's own checks of them (po_file_check_all). Problems
// of both go out as PoProblems with file and line.
#pragma once

#include <gettext-po.h>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "tools/translations_check/po_check.hpp"

namespace fk::i18n {

struct PoEntry {
  po_message_t message = nullptr;  // owned by the catalog's file
  std::string key;                 // gettext's: the context, EOT, then the msgid
  std::string msgid;
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

// The file's entries; nothing when it cannot be read or does not parse, the reasons (gettext's syntax errors
// with their lines) added to `problems`.
std::optional<PoCatalog> read_catalog(const std::string& path, std::vector<PoProblem>& problems);

// msgfmt --check's checks (po_file_check_all: format strings, the header's Plural-Forms and the number of
// plural forms, header fields) of the entries not marked fuzzy, as "`lang`: …" problems; returns the entries
// with an error. gettext skips untranslated and fuzzy entries, as msgfmt does.
std::set<po_message_t> check_with_gettext(const std::string& path, const std::string& lang,
                                          const PoCatalog& catalog, std::vector<PoProblem>& problems);

// `s` in double quotes, escaped as in a PO file.
std::string in_quotes(std::string_view s);

}  // namespace fk::i18n
