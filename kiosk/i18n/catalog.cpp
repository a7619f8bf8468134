#include "kiosk/i18n/catalog.hpp"

#include <boost/locale/gnu_gettext.hpp>
#include <boost/locale/message.hpp>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "kiosk/i18n/languages.hpp"

namespace fk::i18n {
namespace {

bool looks_like_mo(std::string_view bytes) {
  if (bytes.size() < 28) return false;
  std::uint32_t magic = 0;
  std::memcpy(&magic, bytes.data(), sizeof magic);
  return magic == 0x950412deU || magic == 0xde120495U;
}

}  // namespace

Expected<Catalog> Catalog::from_mo(std::string language, std::string_view mo_bytes) {
  if (!looks_like_mo(mo_bytes)) return Error{"not a compiled gettext catalog (.mo)"};
  boost::locale::gnu_gettext::messages_info info;
  info.language = language;
  info.encoding = "UTF-8";
  info.paths = {"embedded"};
  info.domains = {boost::locale::gnu_gettext::messages_info::domain(kDomain)};
  // Boost asks for <path>/<language>/LC_MESSAGES/<domain>.mo (and variants); answer with these bytes once.
  const std::string wanted = "embedded/" + language + "/LC_MESSAGES/" + std::string(kDomain) + ".mo";
  const std::vector<char> bytes(mo_bytes.begin(), mo_bytes.end());
  info.callback = [wanted, bytes](const std::string& file, const std::string&) {
    return file == wanted ? bytes : std::vector<char>{};
  };
  Catalog catalog;
  try {
    auto* facet = boost::locale::gnu_gettext::create_messages_facet<char>(info);
    if (facet == nullptr) return Error{"Boost.Locale could not read the catalog"};
    catalog.holder_ = std::locale(std::locale::classic(), facet);  // the locale owns the facet from here
    catalog.messages_ = facet;
  } catch (const std::exception& e) {
    return Error{std::string("invalid catalog: ") + e.what()};
  }
  catalog.language_ = std::move(language);
  catalog.domain_ = catalog.messages_->domain(kDomain);
  return catalog;
}

const char* Catalog::text(const char* msgid) const {
  if (messages_ == nullptr) return msgid;
  const char* s = messages_->get(domain_, nullptr, msgid);
  return s != nullptr && *s != '\0' ? s : msgid;
}

const char* Catalog::plural(const char* singular, const char* plural_form, long n) const {
  if (messages_ != nullptr) {
    const char* s = messages_->get(domain_, nullptr, singular, static_cast<int>(n));
    if (s != nullptr && *s != '\0') return s;
  }
  return n == 1 ? singular : plural_form;
}

CatalogBytes catalogs_in_directory(std::string dir) {
  return [dir = std::move(dir)](const std::string& language) -> std::string {
    std::ifstream in(dir + "/" + language + "/LC_MESSAGES/" + kDomain + ".mo", std::ios::binary);
    if (!in) return {};
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  };
}

Catalogs Catalogs::load(const CatalogBytes& source, const std::vector<std::string>& languages,
                        const std::function<void(const std::string&)>& log) {
  Catalogs catalogs;
  for (const std::string& language : languages) {
    if (language == "en" || catalogs.by_language_.count(language) != 0) continue;
    const std::string bytes = source(language);
    if (bytes.empty()) {
      log("translations: no catalog for \"" + language + "\"; that language shows the UI in English");
      continue;
    }
    auto catalog = Catalog::from_mo(language, bytes);
    if (!catalog) {
      log("translations: catalog for \"" + language + "\" unusable (" + catalog.error().message +
          "); that language shows the UI in English");
      continue;
    }
    catalogs.by_language_.emplace(language, std::move(*catalog));
  }
  return catalogs;
}

const Catalog& Catalogs::get(std::string_view language) const {
  const std::string_view primary = language.substr(0, language.find_first_of("-_"));
  const auto it = by_language_.find(primary);
  return it == by_language_.end() ? english_ : it->second;
}

}  // namespace fk::i18n
