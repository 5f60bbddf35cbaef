#!/usr/bin/env bash
# examples/embedded as a user builds it: `cmake --install` to a temporary prefix, the example configured on
# its own against that prefix (find_package(migrator 0.2 CONFIG), migrator_embed_scripts from the package,
# no path into the source or build tree), built, and run on BACKEND: a SQLite file, or a new database on the
# server MIGRATOR_TEST_POSTGRESQL_URL names (scripts/db-servers.sh). Without that server the PostgreSQL case
# exits 77, which ctest shows as skipped; with MIGRATOR_REQUIRE_SERVERS=1 it fails instead.
# Usage: embedded_example_test.sh SOURCE_DIR BUILD_DIR CXX_COMPILER sqlite|postgresql
set -euo pipefail
source_dir=$1
build_dir=$2
compiler=$3
backend=$4
fail() { echo "FAIL: $*"; exit 1; }
if [[ $backend == postgresql && -z ${MIGRATOR_TEST_POSTGRESQL_URL:-} ]]; then
    [[ ${MIGRATOR_REQUIRE_SERVERS:-} != 1 ]] || fail "MIGRATOR_REQUIRE_SERVERS=1 but MIGRATOR_TEST_POSTGRESQL_URL is not set"
    echo "skipped: MIGRATOR_TEST_POSTGRESQL_URL is not set (scripts/db-servers.sh)"
    exit 77
fi
work=$(mktemp -d)
database=""
cleanup() {
    if [[ -n $database ]]; then psql "$MIGRATOR_TEST_POSTGRESQL_URL" -qc "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

cmake --install "$build_dir" --prefix "$work/prefix" --component dev >/dev/null
# A copy of the example, so that nothing can reach back into the source tree by a relative path.
cp -r "$source_dir/examples/embedded" "$work/example"
cmake -S "$work/example" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER="$compiler" \
    -DCMAKE_PREFIX_PATH="$work/prefix" >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; fail "configure"; }
cmake --build "$work/build" >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "build"; }
if grep -rlF -e "$source_dir" -e "$build_dir" "$work/build/build.ninja"; then
    fail "the example's build names migrator's source or build tree"
fi
grep -qF "$work/prefix/lib/cmake/migrator/MigratorEmbedGenerate.cmake" "$work/build/build.ninja" ||
    fail "the scripts were not embedded by the installed MigratorEmbed.cmake"
service=$work/build/embedded_service

# run URL: the service starts twice; the first start applies both compiled-in scripts, the second none.
run() {
    local first second
    first=$(DATABASE_URL=$1 "$service" 2>"$work/err") || { cat "$work/err"; fail "$2: the service failed"; }
    [[ $first == *"applied 5e1d0c7a2b94 (create orders table)"* ]] || fail "$2: first script not applied: $first"
    [[ $first == *"2 migration(s) applied; at a7c3e9f1d206"*serving ]] || fail "$2: unexpected output: $first"
    grep -qF "migrator info: [1/2] Running upgrade  -> 5e1d0c7a2b94" "$work/err" || fail "$2: no log line from the callback"
    second=$(DATABASE_URL=$1 "$service" 2>/dev/null) || fail "$2: the second start failed"
    [[ $second == $'0 migration(s) applied; at a7c3e9f1d206\nserving' ]] || fail "$2: second start: $second"
    echo "$2: the installed example upgraded its database at start-up"
}

mkdir "$work/run" && cd "$work/run"
if [[ $backend == sqlite ]]; then
    run "sqlite:///$work/run/orders.db" sqlite
    [[ $(sqlite3 "$work/run/orders.db" "SELECT version_num FROM migrator_version") == a7c3e9f1d206 ]] ||
        fail "sqlite: the version table does not name the head"
    exit 0
fi
database="migrator_package_$$"
psql "$MIGRATOR_TEST_POSTGRESQL_URL" -qc "CREATE DATABASE $database" >/dev/null || fail "postgresql: cannot create $database"
url="${MIGRATOR_TEST_POSTGRESQL_URL%/*}/$database"
run "$url" postgresql
[[ $(psql "$url" -tAc "SELECT version_num FROM migrator_version") == a7c3e9f1d206 ]] ||
    fail "postgresql: the version table does not name the head"
