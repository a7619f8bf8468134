// The UI's translations at run time: one compiled gettext catalog (.mo) per language, read by Boost.Locale's
// gettext backend. No system locale needs to exist: catalogs are found by language tag, either among the
// ones embedded in the binary at build time or in a directory (<dir>/<tag>/LC_MESSAGES/feedback-kiosk.mo).
#pragma once

#include <functional>
#include <locale>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sync/model/expected.hpp"

namespace boost::locale {
template <typename CharType>
class message_format;
}

namespace fk::i18n {

inline constexpr const char* kDomain = "feedback-kiosk";

// One language's translations. A default-constructed catalog translates nothing (English).
class Catalog {
 public:
  Catalog() = default;
  // Parses a compiled catalog; an error when the bytes are not a .mo file.
  static Expected<Catalog> from_mo(std::string language, std::string_view mo_bytes);

  const std::string& language() const { return language_; }
  bool empty() const { return messages_ == nullptr; }
  // The translation of `msgid`, or `msgid` itself when there is none.
  const char* text(const char* msgid) const;
  // The plural form for `n` by the catalog's Plural-Forms, or English's rule without a translation.
  const char* plural(const char* singular, const char* plural, long n) const;

 private:
  std::string language_ = "en";
  std::locale holder_;  // owns the Boost.Locale facet
  const boost::locale::message_format<char>* messages_ = nullptr;
  int domain_ = 0;
};

// Where compiled catalogs come from: a function from language tag to .mo bytes (empty: none).
using CatalogBytes = std::function<std::string(const std::string& language)>;

// The catalogs embedded in the binary at build time (see kiosk/i18n/CMakeLists.txt).
CatalogBytes embedded_catalogs();
// Catalogs read from `<dir>/<tag>/LC_MESSAGES/feedback-kiosk.mo`.
CatalogBytes catalogs_in_directory(std::string dir);

// Every language's catalog, loaded once at start so that switching language costs nothing.
class Catalogs {
 public:
  // Loads each of `languages` other than English. A missing or unreadable catalog is logged and that language
  // shows English; it never stops the kiosk.
  static Catalogs load(const CatalogBytes& source, const std::vector<std::string>& languages,
                       const std::function<void(const std::string&)>& log);
  // The catalog for a tag ("es-MX" uses "es"); English for any language without one.
  const Catalog& get(std::string_view language) const;
  const std::map<std::string, Catalog, std::less<>>& all() const { return by_language_; }

 private:
  std::map<std::string, Catalog, std::less<>> by_language_;
  Catalog english_;
};

}  // namespace fk::i18n
