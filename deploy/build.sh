#!/usr/bin/env bash
# Installs the Debian packages (when missing), configures and builds. Quick when nothing changed.
# Usage: deploy/build.sh [BUILD_DIR] [TARGET...]   (FK_WERROR=ON in the environment turns warnings into errors;
# with no target, everything is built, tests and benchmarks included)
# FK_DEPS names the install-deps.sh groups (default: test). Without the test group a new BUILD_DIR is
# configured without the tests, which need the test stack (Catch2, cpp-httplib) to configure.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
shift || true
read -r -a groups <<<"${FK_DEPS:-test}"
bash deploy/install-deps.sh "${groups[@]}"
testing=OFF
for g in "${groups[@]}"; do if [ "$g" = test ]; then testing=ON; fi; done
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFK_WERROR="${FK_WERROR:-OFF}" \
        -DBUILD_TESTING="$testing" >/dev/null
fi
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build "$build_dir" "${targets[@]}"
