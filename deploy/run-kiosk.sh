#!/usr/bin/env bash
# Installs, builds and starts the kiosk with its embedded defaults: the lobby survey, responses in SQLite
# under the default data directory. In a window when a desktop is present; fullscreen otherwise.
# Extra arguments go to feedback-kiosk (e.g. --data-dir DIR, --survey FILE). Installs only what building and
# running the kiosk need (install-deps.sh's build and run-kiosk groups), never the test stack.
set -euo pipefail
cd "$(dirname "$0")/.."
FK_DEPS="build run-kiosk" bash deploy/build.sh build feedback-kiosk feedback-central  # the programs only: tests build with test.sh
args=()
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then args+=(--windowed); fi
exec build/kiosk/feedback-kiosk "${args[@]}" "$@"
