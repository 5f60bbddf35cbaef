#!/usr/bin/env bash
# `cmake --install` to a temporary prefix, then a separate project (tests/package/consumer) finds it with
# find_package(migrator 0.2 CONFIG), links migrator::migrator, and runs an upgrade on a SQLite file through
# the public API (<migrator/migrator.hpp>).
# Usage: consumer_test.sh SOURCE_DIR BUILD_DIR CXX_COMPILER
set -euo pipefail
source_dir=$1
build_dir=$2
compiler=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$build_dir" --prefix "$work/prefix" --component dev >/dev/null
cmake_dir="$work/prefix/lib/cmake/migrator"
for file in migratorConfig.cmake migratorConfigVersion.cmake migratorTargets.cmake FindSOCI.cmake FindPgQuery.cmake \
    MigratorEmbed.cmake MigratorEmbedGenerate.cmake; do
    [[ -f $cmake_dir/$file ]] || fail "$file is not installed"
done
[[ -f $work/prefix/lib/libmigrator.a ]] || fail "the static library is not installed"
for header in migrator.hpp error.hpp results.hpp; do
    [[ -f $work/prefix/include/migrator/$header ]] || fail "migrator/$header is not installed"
done
installed=$(cd "$work/prefix/include" && find . -type f | sort | tr '\n' ' ')
[[ $installed == "./migrator/error.hpp ./migrator/migrator.hpp ./migrator/results.hpp " ]] ||
    fail "headers other than the public API are installed: $installed"
# The installed package must not point back into the source or build tree.
if grep -rlF -e "$source_dir" -e "$build_dir" "$cmake_dir"; then fail "the CMake files name the source or build tree"; fi

configure() {  # configure SOURCE BUILD: the consumer project against the prefix
    cmake -S "$1" -B "$2" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER="$compiler" \
        -DCMAKE_PREFIX_PATH="$work/prefix" >"$2.log" 2>&1
}
configure "$source_dir/tests/package/consumer" "$work/build" || { cat "$work/build.log"; fail "configure"; }
cmake --build "$work/build" >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "build"; }

# A version the package does not offer is refused (0.x: only the same minor version is compatible).
mkdir "$work/newer"
sed 's/find_package(migrator 0.2 /find_package(migrator 0.3 /' "$source_dir/tests/package/consumer/CMakeLists.txt" \
    >"$work/newer/CMakeLists.txt"
cp "$source_dir/tests/package/consumer/main.cpp" "$work/newer/"
if configure "$work/newer" "$work/newer-build"; then fail "find_package(migrator 0.3) accepted version 0.2"; fi
grep -q "compatible with requested version \"0.3\"" "$work/newer-build.log" || { cat "$work/newer-build.log"; fail "0.3: no version message"; }

# The linked program works: the API upgrades a SQLite file from scripts on disk.
mkdir -p "$work/project/migrations/versions" && cd "$work/project"
cat >migrations/versions/0001_aaa111_users.sql <<'SQL'
-- message: users
-- revision: aaa111
-- down_revision:
-- branch_labels:
-- depends_on:
-- create_date: 2026-12-03 10:00:00

-- migrate:upgrade
CREATE TABLE users (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE users;
SQL
[[ $("$work/build/consumer" sqlite:///app.db migrations) == "1 applied; aaa111" ]] || fail "consumer upgrade head"
[[ $("$work/build/consumer" sqlite:///app.db migrations) == "0 applied; aaa111" ]] || fail "consumer: a second run"
echo "consumer: installed, found, built, linked and run"
