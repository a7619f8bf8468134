// The languages the kiosk speaks: each offered on the attract screen in its own name and script.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fk::i18n {

struct Language {
  std::string_view tag;           // as in survey files and stored responses: "en", "es", "zh", …
  std::string_view native_name;   // the button on the attract screen: "Español", "中文", "العربية"
  std::string_view english_name;  // logs and the translation check
  bool rtl = false;               // written right to left: text is reordered and the layout mirrors
};

// English, Spanish, Vietnamese, Simplified Chinese, Arabic, French, Korean, in that order.
const std::vector<Language>& supported_languages();
// Their tags, in that order.
std::vector<std::string> supported_tags();
// The supported language for a tag ("es", "es-MX" → Spanish); null when the kiosk does not speak it.
const Language* find_language(std::string_view tag);
bool is_rtl(std::string_view tag);

}  // namespace fk::i18n
