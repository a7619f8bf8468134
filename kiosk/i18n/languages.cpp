#include "kiosk/i18n/languages.hpp"

namespace fk::i18n {

const std::vector<Language>& supported_languages() {
  static const std::vector<Language> all = {
      {"en", "English", "English", false},       {"es", "Español", "Spanish", false},
      {"vi", "Tiếng Việt", "Vietnamese", false}, {"zh", "中文", "Chinese (Simplified)", false},
      {"ar", "العربية", "Arabic", true},         {"fr", "Français", "French", false},
      {"ko", "한국어", "Korean", false},
  };
  return all;
}

std::vector<std::string> supported_tags() {
  std::vector<std::string> tags;
  for (const Language& l : supported_languages()) tags.emplace_back(l.tag);
  return tags;
}

const Language* find_language(std::string_view tag) {
  const std::string_view primary = tag.substr(0, tag.find_first_of("-_"));
  for (const Language& l : supported_languages()) {
    if (l.tag == primary) return &l;
  }
  return nullptr;
}

bool is_rtl(std::string_view tag) {
  const Language* l = find_language(tag);
  return l != nullptr && l->rtl;
}

}  // namespace fk::i18n
