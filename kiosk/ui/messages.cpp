#include "kiosk/ui/messages.hpp"

#include <cstdio>

namespace fk::ui {

const char* tr(const char* msgid) { return msgid; }

const std::vector<const char*>& all_messages() {
  static const std::vector<const char*> all = {
#define FK_LIST_MESSAGE(name, text) text,
      FK_MESSAGES(FK_LIST_MESSAGE)
#undef FK_LIST_MESSAGE
  };
  return all;
}

std::string format(const char* msgid, int a) {
  char buf[256];
  std::snprintf(buf, sizeof buf, tr(msgid), a);
  return buf;
}

std::string format(const char* msgid, int a, int b) {
  char buf[256];
  std::snprintf(buf, sizeof buf, tr(msgid), a, b);
  return buf;
}

}  // namespace fk::ui
