#!/usr/bin/env bash
# deploy/systemd/kiosk-session exits with the kiosk's own status although cage (0.1.4, Debian 12) always exits
# 0: "Leave kiosk mode" (0) must stop the unit, anything else restart it. cage is a stub here that, like the
# real one, runs what follows `--` and exits 0; a stub that fails before running anything must give 1.
set -uo pipefail
session="$1/deploy/systemd/kiosk-session"
fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT
printf '#!/bin/sh\n[ "$1" = -- ] || exit 9\nshift\n"$@"\nexit 0\n' >"$fake/cage"
chmod +x "$fake/cage"
fail=0
expect() {  # expect STATUS COMMAND...
  local want=$1
  shift
  RUNTIME_DIRECTORY="$fake" PATH="$fake:$PATH" sh "$session" "$@"
  local got=$?
  echo "kiosk-session $*: exit $got (want $want)"
  if [ "$got" -ne "$want" ]; then fail=1; fi
}
expect 0 sh -c 'exit 0'
expect 3 sh -c 'exit 3'
expect 134 sh -c 'kill -ABRT $$'
expect 0 sh -c 'echo "args: $*"' x --config "/etc/a b.toml"
printf '#!/bin/sh\nexit 0\n' >"$fake/cage"  # cage failed to start: the kiosk never ran
expect 1 sh -c 'exit 0'
if ls "$fake"/kiosk-exit-status.* >/dev/null 2>&1; then echo "FAIL: status file left behind"; fail=1; fi
[ "$fail" -eq 0 ] && echo ok
exit "$fail"
