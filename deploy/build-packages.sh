#!/usr/bin/env bash
# Builds the two Debian packages, feedback-kiosk_*.deb and feedback-central_*.deb, with CPack.
# Usage: deploy/build-packages.sh [BUILD_DIR [OUT_DIR]]   (defaults: build-deb, BUILD_DIR/packages)
# A new BUILD_DIR is configured as a Release build of the programs only (no tests); an existing one is used
# as it is (CTest's deploy.packages passes the test build, whose programs are already built).
# Needs the build group of deploy/install-deps.sh (dpkg-dev for dpkg-shlibdeps).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build-deb}
out_dir=${2:-$build_dir/packages}
if [ -z "${FK_SKIP_DEPS:-}" ]; then bash deploy/install-deps.sh build; fi
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
fi
cmake --build "$build_dir" --target feedback-kiosk feedback-central
mkdir -p "$out_dir"
out_dir=$(cd "$out_dir" && pwd)
(cd "$build_dir" && cpack -G DEB -B "$out_dir" >/dev/null)
rm -rf "$out_dir/_CPack_Packages"
ls "$out_dir"/feedback-kiosk_*.deb "$out_dir"/feedback-central_*.deb
