#!/usr/bin/env bash
# deploy/install-deps.sh as a user who is not root, on a machine without sudo, with a package missing: it must
# say "run as root or install sudo" and exit 1, never fail with "sudo: command not found" (127). The machine
# is faked: a PATH holding only stubs of id (uid 1000) and dpkg-query (nothing installed) and the few tools
# the script uses. An unknown group is refused too.
set -uo pipefail
script="$1/deploy/install-deps.sh"
fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT
printf '#!/bin/sh\necho 1000\n' >"$fake/id"
printf '#!/bin/sh\nexit 1\n' >"$fake/dpkg-query"
chmod +x "$fake/id" "$fake/dpkg-query"
for tool in bash grep; do ln -s "$(command -v "$tool")" "$fake/$tool"; done

out=$(PATH="$fake" "$fake/bash" "$script" run-central 2>&1)
rc=$?
echo "$out"
fail=0
if [ "$rc" -ne 1 ]; then echo "FAIL: exit $rc, expected 1"; fail=1; fi
if ! grep -q "run as root or install sudo" <<<"$out"; then echo "FAIL: no hint"; fail=1; fi
if grep -q "command not found" <<<"$out"; then echo "FAIL: a command was not found"; fail=1; fi

out=$(bash "$script" no-such-group 2>&1)
rc=$?
if [ "$rc" -ne 2 ] || ! grep -q "unknown group" <<<"$out"; then echo "FAIL: unknown group: exit $rc: $out"; fail=1; fi
[ "$fail" -eq 0 ] && echo ok
exit "$fail"
