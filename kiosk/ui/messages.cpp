#include "kiosk/ui/messages.hpp"

namespace fk::ui {

const std::vector<const char*>& all_messages() {
  static const std::vector<const char*> all = {
#define FK_LIST_MESSAGE(name, text) text,
      FK_MESSAGES(FK_LIST_MESSAGE)
#undef FK_LIST_MESSAGE
  };
  return all;
}

const std::vector<PluralMessage>& all_plural_messages() {
  static const std::vector<PluralMessage> all = {
#define FK_LIST_PLURAL(name, one, many) PluralMessage{one, many},
      FK_PLURALS(FK_LIST_PLURAL)
#undef FK_LIST_PLURAL
  };
  return all;
}

}  // namespace fk::ui
