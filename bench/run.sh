#!/usr/bin/env bash
# The benchmark suite: builds migrator in Release (build-bench-release/), installs what the suite
# needs, starts a throw-away PostgreSQL, runs every measurement and rewrites docs/performance.md
# and docs/performance.png.
#
#   bench/run.sh                       # the full suite: N = 1k, 10k, 100k (about 30 minutes on 2 cores)
#   bench/run.sh --quick               # N = 100 and 1k, few runs: a minute or two, for development
#   bench/run.sh --only loaded,postgresql --counts 10000
#                                      # some groups only; the rows it does not measure are kept from
#                                      # bench/last-results.json, and each row says the day it was measured
#   bench/run.sh --only read-only --counts 10000 --shapes crossdeps   # one graph shape only
#   bench/run.sh --only fleet          # fleets: 200 SQLite and 50 PostgreSQL databases x 100 migrations,
#                                      # --all-targets at -j 1, -j CPUs and -j 2xCPUs, against sqlite3/psql
#                                      # over the same databases one by one
#
# MIGRATOR_BENCH_BINARY=path measures that binary instead of building one. Debian's /usr/bin/python3
# runs the suite, because python3-alembic and python3-matplotlib are installed for it.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode+=(--quick); shift ;;
    --only | --counts | --shapes) [ $# -ge 2 ] || { echo "error: $1 needs a value" >&2; exit 64; }
      mode+=("$1" "$2" --merge bench/last-results.json); shift 2 ;;
    *) echo "error: unknown argument '$1' (bench/run.sh [--quick] [--only GROUPS] [--counts N,...] [--shapes S,...])" >&2; exit 64 ;;
  esac
done

# python3-alembic: the comparison; matplotlib: the plot; postgresql-client: psql; time: peak RSS.
./scripts/install-deps.sh python3-alembic python3-matplotlib postgresql-client time

binary=${MIGRATOR_BENCH_BINARY:-}
if [ -z "$binary" ]; then
  build=build-bench-release
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMIGRATOR_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" --target migrator
  binary=$build/src/migrator
fi

# A PostgreSQL of its own, as scripts/test.sh does, so that the shared servers are left alone.
export MIGRATOR_TEST_DB_DIR
MIGRATOR_TEST_DB_DIR=$(mktemp -d "${TMPDIR:-/tmp}/migrator-bench-servers-XXXXXX")
trap './scripts/db-servers.sh stop' EXIT
./scripts/db-servers.sh start
eval "$(./scripts/db-servers.sh env)"

results=$(mktemp "${TMPDIR:-/tmp}/migrator-bench-XXXXXX.json")
/usr/bin/python3 bench/run.py --migrator "$binary" --out "$results" "${mode[@]}"
/usr/bin/python3 bench/report.py --results "$results" --binary "$binary" --doc docs/performance.md --plot docs/performance.png
cp "$results" bench/last-results.json
echo "docs/performance.md and docs/performance.png rewritten; raw figures in bench/last-results.json" >&2
