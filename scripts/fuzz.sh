#!/usr/bin/env bash
# Builds the libFuzzer harnesses in tests/fuzz with clang and runs each for a bounded time, starting
# from its seed corpus in tests/fuzz/corpus/<name>/ (copied, so the repository is not modified).
# Runs as many harnesses at once as there are cores. Fails on any crash, hang, leak or broken invariant; the
# input that did it is kept in the work directory and its path printed.
#
#   scripts/fuzz.sh                  every harness, 30 s each
#   FUZZ_SECONDS=300 scripts/fuzz.sh statement_splitter
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh clang-14 libfuzzer-14-dev libclang-rt-14-dev

build=${MIGRATOR_FUZZ_BUILD_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-30}
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(script_parser statement_splitter config database_url target model_file)

CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMIGRATOR_FUZZ=ON -DMIGRATOR_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target fuzzers

work=$(mktemp -d "${TMPDIR:-/tmp}/migrator-fuzz-XXXXXX")
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# One harness per core at a time: each fuzzer is single-threaded.
fuzz_one() {
  local name=$1
  mkdir -p "$work/$name/corpus" "$work/$name/artifacts"
  cp -r "tests/fuzz/corpus/$name/." "$work/$name/corpus/"
  echo "fuzzing $name for ${seconds} s" >&2
  if ! "$build/tests/fuzz/${name}_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$work/$name/artifacts/" "$work/$name/corpus" \
      >"$work/$name/log" 2>&1; then
    tail -n 60 "$work/$name/log" >&2
    echo "error: fuzzer $name failed; input and log in $work/$name" >&2
    return 1
  fi
  echo "$name: $(grep -E '^stat::number_of_executed_units' "$work/$name/log" || true)" >&2
}
jobs_max=$(nproc)
failed=0
running=0
for name in "${harnesses[@]}"; do
  if [ "$running" -ge "$jobs_max" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
  fuzz_one "$name" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done
[ "$failed" -eq 0 ] || exit 1
rm -rf "$work"
