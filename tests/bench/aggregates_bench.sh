#!/bin/sh
# Runs aggregates_bench against a throwaway PostgreSQL (tests/support/pg_fixture.sh), stopped and removed
# afterwards whatever happens:
#   tests/bench/aggregates_bench.sh build/tests/bench/aggregates_bench [--responses N]
# The server's files go under $TMPDIR, else /var/tmp (disk-backed, like the SQLite run's file).
set -eu

[ $# -ge 1 ] || {
  echo "usage: $0 path/to/aggregates_bench [--responses N]" >&2
  exit 2
}
bench=$1
shift
fixture=$(dirname "$0")/../support/pg_fixture.sh

dir=$(mktemp -d "${TMPDIR:-/var/tmp}/fk-aggregates-pg-XXXXXX")
# As root the server runs as postgres, which must be able to reach its directories inside this one.
chmod 755 "$dir"
trap '"$fixture" stop "$dir"; rmdir "$dir" 2>/dev/null || true' EXIT INT TERM
"$fixture" start "$dir" >/dev/null
"$bench" --db "$(cat "$dir/url")" "$@"
