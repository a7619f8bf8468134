// fk-translations-check DIR: the translation coverage check (translations_check.hpp), for the build and CTest.
#include <iostream>

#include "kiosk/i18n/translations_check.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fk-translations-check TRANSLATIONS_DIR\n";
    return 2;
  }
  return fk::i18n::run_translations_check(argv[1], std::cout);
}
