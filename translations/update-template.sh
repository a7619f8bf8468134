#!/usr/bin/env bash
# Regenerates translations/messages.pot from the code and merges it into every language's .po file.
# Run after adding or changing a message in kiosk/ui/messages.hpp; then translate the new entries.
set -euo pipefail
cd "$(dirname "$0")/.."
xgettext --language=C++ --from-code=UTF-8 --keyword=FK_MSG:2 --keyword=FK_PLURAL:2,3 \
  --add-comments=TRANSLATORS: --package-name=feedback-kiosk --package-version=0.1.0 \
  --msgid-bugs-address= --sort-by-file -o translations/messages.pot kiosk/ui/messages.hpp
for po in translations/*.po; do
  [ -e "$po" ] || continue
  msgmerge --quiet --update --backup=none --no-fuzzy-matching "$po" translations/messages.pot
done
