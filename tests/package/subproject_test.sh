#!/usr/bin/env bash
# migrator through add_subdirectory: configured (not built: the commands Ninja would run are read), it leaves
# the parent's C++ standard and compiler launcher alone, links as migrator::migrator, and adds no tests and
# no install rules.
# Usage: subproject_test.sh SOURCE_DIR
set -euo pipefail
source_dir=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cmake -S "$source_dir/tests/package/subproject" -B "$work" -G Ninja -DMIGRATOR_SOURCE_DIR="$source_dir" \
    >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; fail "configure"; }
commands=$(ninja -C "$work" -t commands consumer)
consumer=$(grep -- "-c .*consumer/main.cpp" <<<"$commands") || fail "no compile command for the consumer"
library=$(grep -m1 -- "-c .*src/util/strings.cpp" <<<"$commands") || fail "no compile command for migrator's sources"
[[ $consumer == *-std=c++17* && $consumer != *-std=c++20* ]] || fail "the parent's C++17 was changed: $consumer"
[[ $library == *-std=c++20* ]] || fail "migrator's own sources are not C++20: $library"
[[ $consumer$library != *ccache* ]] || fail "migrator set a compiler launcher for its parent"
[[ $consumer == *"$source_dir/include"* ]] || fail "migrator::migrator gives no include directory"
targets=$(ninja -C "$work" -t targets all)
if grep -q "migrator_unit_tests\|migrator_man" <<<"$targets"; then
    fail "a subproject builds migrator's tests or man page"
fi
if grep -q "bin/migrator\|libmigrator" "$work/migrator/cmake_install.cmake"; then fail "a subproject installs migrator"; fi
echo "subproject: add_subdirectory leaves the parent's settings alone"
