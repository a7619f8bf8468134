#!/usr/bin/env bash
# Installs, builds (warnings are errors) and runs the whole test suite through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
FK_WERROR=ON bash deploy/build.sh build-test
cd build-test
ctest --output-on-failure -j2 "$@"
