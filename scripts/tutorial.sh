#!/usr/bin/env bash
# The README's first command: installs dependencies, builds migrator, and runs the tutorial
# (users table, then an email column, upgrade, downgrade, current, history) on a SQLite file.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

./scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DMIGRATOR_BUILD_TESTS=OFF >/dev/null
cmake --build build -j "$(nproc)" --target migrator
export PATH="$root/build/src:$PATH"

demo="$root/build/tutorial"
rm -rf "$demo" && mkdir -p "$demo" && cd "$demo"
if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold="" plain=""; fi
step() { printf '\n%s$ %s%s\n' "$bold" "$*" "$plain"; "$@"; }
# Writes SQL into a generated script in place of the template's hint comment.
fill() { sed -i "s|-- write the $2 SQL here.*|$3|" "$1"; }

step migrator init migrations
step migrator revision -m "create users table"
users=$(ls migrations/versions/*_create_users_table.sql)
fill "$users" upgrade "CREATE TABLE users (id INTEGER PRIMARY KEY, username VARCHAR(50) UNIQUE);"
fill "$users" downgrade "DROP TABLE users;"
step cat "$users"
step migrator upgrade head

step migrator revision -m "add email column to users"
email=$(ls migrations/versions/*_add_email_column_to_users.sql)
fill "$email" upgrade "ALTER TABLE users ADD COLUMN email VARCHAR(100);"
fill "$email" downgrade "ALTER TABLE users DROP COLUMN email;"
step migrator upgrade head
step sqlite3 app.db ".schema users"
step migrator current
step migrator history
step migrator downgrade -1
step migrator current
step sqlite3 app.db ".schema users"
printf '\nThe tutorial project is in %s\n' "$demo"
