#!/usr/bin/env bash
# Installs the Debian 12 packages one use of this tree needs, by group:
#   build        compilers and -dev packages: builds both programs and their Debian packages
#   run-kiosk    what the kiosk needs at run time that the build does not bring (compositor, fonts, drivers)
#   run-central  what the centre needs at run time beyond the build's libraries (nothing more today)
#   test         build + run-kiosk + run-central + the test stack (PostgreSQL, Chromium, Xvfb, nginx, …)
# Usage: deploy/install-deps.sh [build|run-kiosk|run-central|test]...   (no argument: test, as CI runs it)
# Idempotent: when every package is already installed it returns without touching apt.
set -euo pipefail

BUILD=(
  build-essential cmake ninja-build pkg-config git
  # dpkg-shlibdeps, used by CPack when it computes the packages' library dependencies
  dpkg-dev
  # the centre's dashboard page: mustache templates (header-only, escapes by default)
  libkainjow-mustache-dev
  # kiosk UI
  libimgui-dev libsdl2-dev libfreetype-dev libstb-dev libgl-dev
  libfribidi-dev libfontconfig-dev
  # the kiosk under systemd: readiness and watchdog pings (sd_notify)
  libsystemd-dev
  # translations: msgfmt/xgettext at build time, PO checks (libgettextpo), catalogs at run time (Boost.Locale)
  gettext libgettextpo-dev libboost-locale-dev
  # storage, model, CLI
  libsqlite3-dev libtomlplusplus-dev nlohmann-json3-dev libcli11-dev
  # the kiosk's uploader (libcurl); the centre's HTTP layer (Boost.Beast + Asio, OpenSSL for TLS, zlib for
  # gzip bodies); token hashing (libsodium)
  libcurl4-openssl-dev libboost-dev libssl-dev zlib1g-dev libsodium-dev libbrotli-dev
  # the centre on PostgreSQL (libpq, the client library only)
  libpq-dev
)
RUN_KIOSK=(
  # the compositor the kiosk's unit runs it under; Mesa's GL/EGL drivers; the Noto fonts; time zones (hours)
  cage xwayland libgl1-mesa-dri libegl-mesa0 fonts-noto-core fonts-noto-cjk tzdata ca-certificates
)
RUN_CENTRAL=(
  # the command-line client for the SQLite database (backups and inspection by hand)
  sqlite3
)
TEST=(
  # cpp-httplib: the tests' HTTP client and scripted servers; the throwaway PostgreSQL server the tests start
  libcpp-httplib-dev postgresql
  catch2 clang-format xvfb xauth xdotool imagemagick chromium chromium-driver python3
  # the shipped nginx configuration, tried in a real nginx with a throwaway certificate, checked with curl
  nginx openssl curl
  # the units checked by systemd-analyze (verify, security)
  systemd
)

groups=("$@")
if [ ${#groups[@]} -eq 0 ]; then groups=(test); fi
PACKAGES=()
for g in "${groups[@]}"; do
  case "$g" in
    build) PACKAGES+=("${BUILD[@]}") ;;
    run-kiosk) PACKAGES+=("${RUN_KIOSK[@]}") ;;
    run-central) PACKAGES+=("${RUN_CENTRAL[@]}") ;;
    test) PACKAGES+=("${BUILD[@]}" "${RUN_KIOSK[@]}" "${RUN_CENTRAL[@]}" "${TEST[@]}") ;;
    *)
      echo "install-deps: unknown group '$g' (build, run-kiosk, run-central or test)" >&2
      exit 2
      ;;
  esac
done

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps: these Debian packages are missing: ${missing[*]}" >&2
    echo "install-deps: run as root or install sudo (su -c 'apt-get install sudo'), then run this again" >&2
    exit 1
  fi
  SUDO=(sudo)
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
