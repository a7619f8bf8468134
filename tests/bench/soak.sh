#!/usr/bin/env bash
# The long soak (issue 12, item 8): the real kiosk under Xvfb with a CPU hog on both cores, played for
# MINUTES (default 30) by residents in all seven languages (200-1,500 ms between taps, notes up to 500
# characters at 8-10 keys a second, pauses of up to 40 s mid-note, some walking away, some starting over) and
# pranksters (bursts of 10-20 taps at 30-120 ms). Every other kiosk run asks "still there?" after 10 s.
# Prints: visits played, reached thank you, stored, mismatches, keys typed/lost, countdown seconds
# seen/frozen, text-outside-box count, crashes (and every finding as it happens); exits 1 when a check failed.
# Usage: tests/bench/soak.sh build/kiosk/feedback-kiosk [minutes] [--seed N] [--keep]
set -euo pipefail
kiosk=$(realpath "$1")
shift
here=$(dirname "$(realpath "$0")")
exec xvfb-run -a -s "-screen 0 1920x1080x24" python3 "$here/../soak/soak.py" "$kiosk" long "$@"
