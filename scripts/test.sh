#!/usr/bin/env bash
# The test command: installs dependencies, builds with AddressSanitizer and UBSan and
# warnings as errors, and runs every unit and end-to-end test under ctest.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
build=${MIGRATOR_TEST_BUILD_DIR:-build-test}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMIGRATOR_SANITIZE=ON -DMIGRATOR_WERROR=ON >/dev/null
cmake --build "$build" -j "$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
