#!/usr/bin/env bash
# Installs the Debian packages (when missing), configures and builds. Quick when nothing changed.
# Usage: deploy/build.sh [BUILD_DIR] [TARGET...]   (FK_WERROR=ON in the environment turns warnings into errors;
# with no target, everything is built, tests and benchmarks included)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
shift || true
bash deploy/install-deps.sh
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFK_WERROR="${FK_WERROR:-OFF}" >/dev/null
fi
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build "$build_dir" "${targets[@]}"
