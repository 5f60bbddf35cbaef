#!/usr/bin/env bash
# Throw-away PostgreSQL 15 and MariaDB 10.11 servers for the end-to-end tests.
#
#   scripts/db-servers.sh start   # installs what is missing, starts both on free 127.0.0.1 ports
#   scripts/db-servers.sh env     # prints the export lines: eval "$(scripts/db-servers.sh env)"
#   scripts/db-servers.sh stop    # stops both and removes every file they wrote
#
# Everything lives under $MIGRATOR_TEST_DB_DIR (default /tmp/migrator-db-servers-<uid>). Each
# command is idempotent: start on running servers and stop on stopped ones do nothing.
set -euo pipefail

base=$(realpath -m "${MIGRATOR_TEST_DB_DIR:-${TMPDIR:-/tmp}/migrator-db-servers-$(id -u)}")
pg_bin=/usr/lib/postgresql/15/bin
db_user=migrator
db_name=migrator

die() { echo "error: $*" >&2; exit 1; }

# initdb/postgres and mariadbd refuse to run as root; they run as their package's user instead.
as_server_user() {
  local user="$1"
  shift
  # From /, because the server user may not be allowed into the current directory.
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u "$user" -- "$@"); else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pid_alive() { [ -f "$1" ] && kill -0 "$(head -n1 "$1")" 2>/dev/null; }

state() { cat "$base/$1"; }

wait_until() {
  local what="$1"
  shift
  for _ in $(seq 1 300); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  die "$what did not come up within 30 s (logs in $base)"
}

start_postgresql() {
  local dir="$base/postgresql"
  if pid_alive "$dir/data/postmaster.pid"; then return 0; fi
  rm -rf "$dir"
  mkdir -p "$dir/socket"
  [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$dir"
  state password >"$dir/password"
  chmod 644 "$dir/password"
  as_server_user postgres "$pg_bin/initdb" -D "$dir/data" -U postgres --auth-local=trust \
    --auth-host=scram-sha-256 --pwfile="$dir/password" >"$dir/initdb.log" 2>&1 || die "initdb failed: see $dir/initdb.log"
  local port
  port=$(free_port)
  echo "$port" >"$base/postgresql.port"
  as_server_user postgres "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/socket -c fsync=off" start >/dev/null ||
    die "PostgreSQL did not start: see $dir/server.log"
  local password
  password=$(state password)
  as_server_user postgres psql -X -q -v ON_ERROR_STOP=1 -h "$dir/socket" -p "$port" -U postgres -d postgres \
    -c "CREATE ROLE $db_user LOGIN CREATEDB CREATEROLE PASSWORD '$password'" \
    -c "CREATE DATABASE $db_name OWNER $db_user" >/dev/null
}

start_mariadb() {
  local dir="$base/mariadb"
  if pid_alive "$dir/mariadbd.pid"; then return 0; fi
  rm -rf "$dir"
  mkdir -p "$dir/data"
  local user_option=()
  if [ "$(id -u)" -eq 0 ]; then
    chown -R mysql:mysql "$dir"
    user_option=(--user=mysql)
  fi
  mariadb-install-db --no-defaults --datadir="$dir/data" "${user_option[@]}" --auth-root-authentication-method=normal \
    --skip-test-db >"$dir/install.log" 2>&1 || die "mariadb-install-db failed: see $dir/install.log"
  local port
  port=$(free_port)
  echo "$port" >"$base/mariadb.port"
  # setsid: the server must outlive this script and the shell that ran it.
  setsid mariadbd --no-defaults --datadir="$dir/data" "${user_option[@]}" --bind-address=127.0.0.1 --port="$port" \
    --socket="$dir/mariadbd.sock" --pid-file="$dir/mariadbd.pid" --log-error="$dir/server.log" \
    --skip-name-resolve --innodb-buffer-pool-size=32M --innodb-flush-log-at-trx-commit=0 \
    </dev/null >/dev/null 2>&1 &
  wait_until "MariaDB" mariadb-admin --no-defaults --socket="$dir/mariadbd.sock" -uroot ping
  local password
  password=$(state password)
  mariadb --no-defaults --socket="$dir/mariadbd.sock" -uroot -e "
    CREATE USER IF NOT EXISTS '$db_user'@'%' IDENTIFIED BY '$password';
    GRANT ALL PRIVILEGES ON *.* TO '$db_user'@'%' WITH GRANT OPTION;
    CREATE DATABASE IF NOT EXISTS $db_name;"
}

start() {
  "$(dirname "$0")/install-deps.sh" postgresql-15 postgresql-client-15 mariadb-server mariadb-client python3
  mkdir -p "$base"
  # The servers run as other users and must reach their directories.
  chmod 755 "$base"
  [ -s "$base/password" ] || python3 -c 'import secrets; print(secrets.token_hex(12))' >"$base/password"
  chmod 600 "$base/password"
  start_postgresql
  start_mariadb
  echo "PostgreSQL on 127.0.0.1:$(state postgresql.port), MariaDB on 127.0.0.1:$(state mariadb.port); data in $base" >&2
}

stop() {
  [ -d "$base" ] || return 0
  if pid_alive "$base/postgresql/data/postmaster.pid"; then
    as_server_user postgres "$pg_bin/pg_ctl" -D "$base/postgresql/data" -m fast -w stop >/dev/null
  fi
  if pid_alive "$base/mariadb/mariadbd.pid"; then
    local pid
    pid=$(head -n1 "$base/mariadb/mariadbd.pid")
    kill "$pid"
    wait_until "MariaDB shutdown" bash -c "! kill -0 $pid"
  fi
  rm -rf "$base"
}

print_env() {
  pid_alive "$base/postgresql/data/postmaster.pid" || die "PostgreSQL is not running; run $0 start"
  pid_alive "$base/mariadb/mariadbd.pid" || die "MariaDB is not running; run $0 start"
  local password
  password=$(state password)
  echo "export MIGRATOR_TEST_POSTGRESQL_URL=postgresql://$db_user:$password@127.0.0.1:$(state postgresql.port)/$db_name"
  echo "export MIGRATOR_TEST_MYSQL_URL=mysql://$db_user:$password@127.0.0.1:$(state mariadb.port)/$db_name"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 64 ;;
esac
