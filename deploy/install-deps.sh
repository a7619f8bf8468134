#!/usr/bin/env bash
# Installs the Debian 12 packages the kiosk, the central endpoint and the tests need.
# Idempotent: when every package is already installed it returns without touching apt.
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake ninja-build pkg-config git
  # the centre's dashboard page: mustache templates (header-only, escapes by default)
  libkainjow-mustache-dev
  # kiosk UI
  libimgui-dev libsdl2-dev libfreetype-dev libstb-dev libgl-dev libgl1-mesa-dri libegl-mesa0
  libfribidi-dev libfontconfig-dev fonts-noto-core fonts-noto-cjk
  # the kiosk under systemd: readiness and watchdog pings (sd_notify)
  libsystemd-dev
  # translations: msgfmt/xgettext at build time, PO checks (libgettextpo), catalogs at run time (Boost.Locale)
  gettext libgettextpo-dev libboost-locale-dev
  # storage, model, CLI
  libsqlite3-dev sqlite3 libtomlplusplus-dev nlohmann-json3-dev libcli11-dev
  # the kiosk's uploader (libcurl); the centre's HTTP layer (Boost.Beast + Asio, OpenSSL for TLS, zlib for
  # gzip bodies); token hashing (libsodium). cpp-httplib: the tests' HTTP client and scripted servers.
  libcurl4-openssl-dev libboost-dev libssl-dev zlib1g-dev libsodium-dev libcpp-httplib-dev libbrotli-dev
  # the centre on PostgreSQL (libpq), and the throwaway server its tests start
  libpq-dev postgresql
  # tests
  catch2 clang-format xvfb xauth xdotool imagemagick chromium chromium-driver python3
  # the shipped nginx configuration, tried in a real nginx with a throwaway certificate, checked with curl
  nginx openssl curl
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y --no-install-recommends "${missing[@]}"
