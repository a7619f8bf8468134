#!/usr/bin/env bash
# Installs, builds and starts the kiosk with its embedded defaults: the lobby survey, responses in SQLite
# under the default data directory. In a window when a desktop is present; fullscreen otherwise.
# Extra arguments go to feedback-kiosk (e.g. --data-dir DIR, --survey FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/build.sh build feedback-kiosk feedback-central  # the programs only: tests build with test.sh
args=()
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then args+=(--windowed); fi
exec build/kiosk/feedback-kiosk "${args[@]}" "$@"
