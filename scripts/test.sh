#!/usr/bin/env bash
# The test command: installs dependencies, starts throw-away PostgreSQL 15 and MariaDB 10.11
# servers and a 3-node MariaDB Galera cluster on loopback, builds with AddressSanitizer, UBSan and
# warnings as errors, runs every unit and end-to-end test under ctest on all three backends and the
# cluster (the MySQL flows again on a Galera node among them), then fuzzes each parser for a bounded time
# (scripts/fuzz.sh). The servers are stopped when the script ends, whether the tests
# passed or not.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

export MIGRATOR_TEST_DB_DIR
MIGRATOR_TEST_DB_DIR=$(mktemp -d "${TMPDIR:-/tmp}/migrator-test-servers-XXXXXX")
trap './scripts/db-servers.sh stop' EXIT
./scripts/db-servers.sh start
./scripts/db-servers.sh start-galera
eval "$(./scripts/db-servers.sh env)"
eval "$(./scripts/db-servers.sh env-galera)"
# Server cases fail rather than vanish if a URL is missing: nothing is skipped silently.
export MIGRATOR_REQUIRE_SERVERS=1
# A Turkish single-byte locale, which <cctype> gets wrong for ASCII, built without root for ascii_test.
export MIGRATOR_TEST_LOCPATH=$MIGRATOR_TEST_DB_DIR/locales
mkdir -p "$MIGRATOR_TEST_LOCPATH"
localedef -i tr_TR -f ISO-8859-9 "$MIGRATOR_TEST_LOCPATH/tr_TR.ISO-8859-9"

build=${MIGRATOR_TEST_BUILD_DIR:-build-test}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMIGRATOR_SANITIZE=ON -DMIGRATOR_WERROR=ON >/dev/null
# The server test cases are listed when the test binary is linked, so the URLs are set first
# and the binary is relinked every run, so that an earlier build without servers cannot hide them.
rm -f "$build/tests/e2e/migrator_e2e_tests"
cmake --build "$build" -j "$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"

# The parsers under libFuzzer, 30 s each (scripts/fuzz.sh builds them with clang in build-fuzz).
./scripts/fuzz.sh
