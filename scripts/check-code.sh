#!/usr/bin/env bash
# Code checks, run by .ci/run: every C++ file is clang-format clean, and clang-tidy finds nothing in
# src/, include/ and tests/ with the checks .clang-tidy keeps (each finding is an error). Usage:
#   scripts/check-code.sh [--format-only | --changed [BASE]] [BUILD_DIR]
# CI (.ci/run) runs the full check. --format-only stops after the formatting check, for a quick look: the
# clang-tidy pass takes a while on two cores.
# BUILD_DIR (default build-test) supplies compile_commands.json; it is configured (not built: clang-tidy needs
# no generated header) as scripts/test.sh does when it has none, so that a fresh clone can run the check.
# --changed limits clang-tidy to the translation units that differ from BASE (default origin/main) and the
# units including a changed header; formatting always covers every file.
set -euo pipefail
cd "$(dirname "$0")/.."

changed_base=""
format_only=""
if [ "${1:-}" = "--format-only" ]; then
    format_only=1
    shift
elif [ "${1:-}" = "--changed" ]; then
    shift
    changed_base=origin/main
    if [ $# -gt 0 ] && git rev-parse --verify --quiet "$1^{commit}" >/dev/null; then
        changed_base=$1
        shift
    fi
fi
build=${1:-build-test}

for tool in clang-format-14 clang-tidy-14 run-clang-tidy-14; do
    command -v "$tool" >/dev/null || { echo "error: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
done

mapfile -t files < <(git ls-files '*.cpp' '*.hpp' | grep -v '^tests/fuzz/corpus/')
echo "check-code: clang-format on ${#files[@]} files"
clang-format-14 --dry-run --Werror "${files[@]}"
if [ -n "$format_only" ]; then
    echo "check-code: formatting clean"
    exit 0
fi

if [ ! -f "$build/compile_commands.json" ]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMIGRATOR_SANITIZE=ON -DMIGRATOR_WERROR=ON >/dev/null
fi

# The translation units the build knows (the fuzz harnesses are built only with -DMIGRATOR_FUZZ=ON);
# headers are checked through them (.clang-tidy's HeaderFilterRegex).
mapfile -t units < <(git ls-files 'src/*.cpp' 'tests/unit/*.cpp' 'tests/e2e/*.cpp')
if [ -n "$changed_base" ]; then
    mapfile -t changed < <(git diff --name-only "$changed_base" -- '*.cpp' '*.hpp'; git ls-files --others --exclude-standard '*.cpp' '*.hpp')
    selected=()
    for unit in "${units[@]}"; do
        for file in "${changed[@]}"; do
            # A changed header selects every unit that includes it by name (directly).
            if [ "$unit" = "$file" ] || { [[ $file == *.hpp ]] && grep -q "$(basename "$file")\"" "$unit"; }; then
                selected+=("$unit")
                break
            fi
        done
    done
    units=("${selected[@]+"${selected[@]}"}")
fi
echo "check-code: clang-tidy on ${#units[@]} translation units"
[ ${#units[@]} -eq 0 ] && { echo "check-code: clean"; exit 0; }
# The compile commands are GCC's: a GCC-only warning flag must not stop clang-tidy.
if ! run-clang-tidy-14 -quiet -p "$build" -j "$(nproc)" -extra-arg=-Wno-unknown-warning-option \
        "${units[@]/#/$PWD/}" >"$build/clang-tidy.log" 2>&1; then
    # run-clang-tidy-14 makes clang-tidy colour its findings; the summary drops the escapes.
    sed 's/\x1b\[[0-9;]*m//g' "$build/clang-tidy.log" | grep -E '(warning|error):' | sort -u | head -100 >&2
    echo "error: clang-tidy found problems (full log: $build/clang-tidy.log)" >&2
    exit 1
fi
echo "check-code: clean"
