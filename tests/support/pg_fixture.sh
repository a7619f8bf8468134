#!/bin/sh
# A throwaway PostgreSQL for the tests: `pg_fixture.sh start DIR` starts a socket-only server whose files all
# live in DIR and writes its connection URL (a database "fk_test" the tests may create others from) to
# DIR/url; `pg_fixture.sh stop DIR` stops it and removes its files. Installs nothing: when the server is not
# there it fails and says so (deploy/install-deps.sh installs postgresql).
#
# As root, initdb and pg_ctl run as the postgres user (initdb refuses root) on directories it owns; otherwise
# they run as the current user. fsync is off: this data is thrown away, speed matters, durability does not.
set -eu

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}
[ $# -eq 2 ] || usage
action=$1
dir=$2
case $dir in /*) ;; *) dir=$(pwd)/$dir ;; esac

die() {
  echo "pg_fixture: $*" >&2
  exit 1
}

# Newest installed server, unless PG_BIN says where.
if [ -z "${PG_BIN:-}" ]; then
  for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/pg_ctl" ] && PG_BIN=$candidate
  done
fi
[ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] ||
  die "no PostgreSQL server found (looked for /usr/lib/postgresql/*/bin/pg_ctl; set PG_BIN, or install the" \
    "'postgresql' package: deploy/install-deps.sh)"

if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user to run the server as"
  as_server() { runuser -u postgres -- "$@"; }
  owner=postgres
else
  as_server() { "$@"; }
  owner=$(id -un)
fi

data=$dir/data
run=$dir/run          # socket and server log
log=$run/server.log
db=fk_test

running() { [ -f "$data/postmaster.pid" ] && as_server "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; }

case $action in
start)
  mkdir -p "$dir"
  # The socket path must fit in sun_path (107 bytes); a deep build tree gets a short directory instead.
  if [ -f "$dir/sockdir" ]; then
    sock=$(cat "$dir/sockdir")
  else
    sock=$run
    [ ${#sock} -le 80 ] || sock=$(mktemp -d /tmp/fk-pg-XXXXXX)
    echo "$sock" >"$dir/sockdir"
  fi
  # A port of its own, so two build trees never share a socket name; kept across restarts of this DIR.
  [ -f "$dir/port" ] || echo $((20000 + $$ % 30000)) >"$dir/port"
  port=$(cat "$dir/port")

  for d in "$data" "$run" "$sock"; do
    mkdir -p "$d"
    [ "$owner" = "$(id -un)" ] || chown "$owner" "$d"
  done
  chmod 700 "$data"
  as_server test -w "$run" ||
    die "user '$owner' cannot write $run: every directory above it must be searchable (o+x) by '$owner'"

  if [ ! -f "$data/PG_VERSION" ]; then
    as_server "$PG_BIN/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
      die "initdb failed: $(tail -n 5 "$dir/initdb.log")"
    cat >>"$data/postgresql.conf" <<EOF
# pg_fixture.sh: socket only, private port, throwaway data.
listen_addresses = ''
unix_socket_directories = '$sock'
port = $port
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
  fi
  if ! running; then
    as_server "$PG_BIN/pg_ctl" -D "$data" -l "$log" -w -t 30 start >/dev/null 2>&1 ||
      die "the server did not start: $(tail -n 5 "$log" 2>/dev/null)"
  fi
  psql_admin() {
    as_server env PGHOST="$sock" PGPORT="$port" PGUSER=postgres "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
      -d postgres "$@"
  }
  if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    psql_admin -c "CREATE DATABASE $db" >/dev/null || die "cannot create database $db"
  fi
  url="postgresql://postgres@/$db?host=$sock&port=$port"
  echo "$url" >"$dir/url"
  echo "$url"
  ;;
stop)
  [ -d "$dir" ] || exit 0
  if running; then
    as_server "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 || die "the server did not stop"
  fi
  if [ -f "$dir/sockdir" ]; then
    sock=$(cat "$dir/sockdir")
    case $sock in /tmp/fk-pg-*) rm -rf "$sock" ;; esac
  fi
  rm -rf "$data" "$run" "$dir/url" "$dir/sockdir" "$dir/port" "$dir/initdb.log"
  ;;
*) usage ;;
esac
