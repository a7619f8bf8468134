#!/usr/bin/env bash
# Keys lost per 1,000 typed (issue 12's figure, target 0): with a CPU hog on both cores, types two notes of
# 500 lower-case letters and spaces on the real kiosk's on-screen keyboard at 100 ms between taps, then two
# at 60 ms, sends each visit and compares the stored note with what was typed. First it shows that the
# driver's gaps are the gaps the X server sees (tests/soak/tap_timing.py, same hog).
# Usage: tests/bench/keys_lost.sh build/kiosk/feedback-kiosk [--seed N] [--keep]
set -euo pipefail
kiosk=$(realpath "$1")
shift
here=$(dirname "$(realpath "$0")")
xvfb-run -a -s "-screen 0 1920x1080x24" python3 "$here/../soak/tap_timing.py" --hog || true
exec xvfb-run -a -s "-screen 0 1920x1080x24" python3 "$here/../soak/soak.py" "$kiosk" keys-lost "$@"
