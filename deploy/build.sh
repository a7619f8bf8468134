#!/usr/bin/env bash
# Installs the Debian packages (when missing), configures and builds. Quick when nothing changed.
# Usage: deploy/build.sh [BUILD_DIR]   (FK_WERROR=ON in the environment turns warnings into errors)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
bash deploy/install-deps.sh
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFK_WERROR="${FK_WERROR:-OFF}" >/dev/null
fi
cmake --build "$build_dir"
