#!/usr/bin/env bash
# Throw-away PostgreSQL 15 and MariaDB 10.11 servers for the end-to-end tests.
#
#   scripts/db-servers.sh start   # installs what is missing, starts both on free 127.0.0.1 ports
#   scripts/db-servers.sh env     # prints the export lines: eval "$(scripts/db-servers.sh env)"
#   scripts/db-servers.sh stop    # stops both and removes every file they wrote
#
#   scripts/db-servers.sh start-galera  # a 3-node MariaDB Galera cluster (galera-4, rsync SST) on loopback;
#                                       # starts only the nodes that are down, so it also brings a killed
#                                       # node back into the running cluster
#   scripts/db-servers.sh env-galera    # export MIGRATOR_TEST_GALERA_URLS (one URL per node, space-separated)
#   scripts/db-servers.sh stop-galera   # stops the cluster and removes its files
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
  stop_galera
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

galera_nodes=3
galera_provider=/usr/lib/galera/libgalera_smm.so

galera_node_alive() { pid_alive "$base/galera/node$1/mariadbd.pid"; }

galera_client() {
  local node="$1"
  shift
  mariadb --no-defaults --socket="$base/galera/node$node/mariadbd.sock" -uroot -N -B "$@"
}

galera_status() { galera_client "$1" -e "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | cut -f2; }

# Synced and in a primary component of all nodes: only then does a node accept every statement.
galera_node_ready() {
  [ "$(galera_status "$1" wsrep_local_state_comment)" = Synced ] &&
    [ "$(galera_status "$1" wsrep_cluster_size)" = "$galera_nodes" ] &&
    [ "$(galera_status "$1" wsrep_ready)" = ON ]
}

start_galera_node() {
  local node="$1" bootstrap="$2"
  local dir="$base/galera/node$node"
  local ports
  read -r -a ports <"$dir/ports"  # client, group communication, incremental and full state transfer
  local members=()
  for other in $(seq 1 "$galera_nodes"); do
    local other_ports
    read -r -a other_ports <"$base/galera/node$other/ports"
    members+=("127.0.0.1:${other_ports[1]}")
  done
  local user_option=()
  [ "$(id -u)" -eq 0 ] && user_option=(--user=mysql)
  local new_cluster=()
  [ "$bootstrap" = bootstrap ] && new_cluster=(--wsrep-new-cluster)
  # Short failure-detection timeouts: on loopback a silent node is a dead one, and the survivors block
  # writes until they have evicted it.
  local provider_options="gmcast.listen_addr=tcp://127.0.0.1:${ports[1]};ist.recv_addr=127.0.0.1:${ports[2]}"
  provider_options+=";gcache.size=16M;evs.keepalive_period=PT0.3S;evs.inactive_check_period=PT0.5S"
  provider_options+=";evs.suspect_timeout=PT2S;evs.inactive_timeout=PT3S;evs.install_timeout=PT3S"
  setsid mariadbd --no-defaults --datadir="$dir/data" "${user_option[@]}" --bind-address=127.0.0.1 \
    --port="${ports[0]}" --socket="$dir/mariadbd.sock" --pid-file="$dir/mariadbd.pid" --log-error="$dir/server.log" \
    --skip-name-resolve --innodb-buffer-pool-size=32M --innodb-flush-log-at-trx-commit=0 \
    --binlog-format=ROW --default-storage-engine=InnoDB --innodb-autoinc-lock-mode=2 \
    --wsrep-on=ON --wsrep-provider="$galera_provider" --wsrep-cluster-name=migrator-test \
    --wsrep-cluster-address="gcomm://$(IFS=,; echo "${members[*]}")" --wsrep-node-name="node$node" \
    --wsrep-node-address=127.0.0.1 --wsrep-provider-options="$provider_options" \
    --wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:${ports[3]}" "${new_cluster[@]}" \
    </dev/null >/dev/null 2>&1 &
}

# Waits for a condition by polling it, for up to `seconds`.
wait_for() {
  local what="$1" seconds="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || die "$what within $seconds s (logs in $base/galera)"
    sleep 0.1
  done
}

all_galera_nodes_ready() {
  for node in $(seq 1 "$galera_nodes"); do galera_node_ready "$node" || return 1; done
}

start_galera() {
  "$(dirname "$0")/install-deps.sh" mariadb-server mariadb-client galera-4 rsync python3
  [ -x "$galera_provider" ] || [ -f "$galera_provider" ] || die "$galera_provider is missing (package galera-4)"
  mkdir -p "$base/galera"
  chmod 755 "$base" "$base/galera"
  [ -s "$base/password" ] || python3 -c 'import secrets; print(secrets.token_hex(12))' >"$base/password"
  chmod 600 "$base/password"
  local running=()
  for node in $(seq 1 "$galera_nodes"); do galera_node_alive "$node" && running+=("$node"); done
  if [ ${#running[@]} -eq "$galera_nodes" ]; then
    wait_for "the Galera cluster did not reach $galera_nodes synced nodes" 60 all_galera_nodes_ready
    return 0
  fi
  if [ ${#running[@]} -eq 0 ]; then
    rm -rf "$base/galera"
    mkdir -p "$base/galera"
    # Four free ports per node, all taken at once so that none repeats.
    python3 -c '
import socket
sockets = [socket.socket() for _ in range(4 * '"$galera_nodes"')]
for s in sockets: s.bind(("127.0.0.1", 0))
ports = [str(s.getsockname()[1]) for s in sockets]
for node in range('"$galera_nodes"'): print(" ".join(ports[4 * node:4 * node + 4]))' >"$base/galera/ports"
    for node in $(seq 1 "$galera_nodes"); do
      mkdir -p "$base/galera/node$node"
      sed -n "${node}p" "$base/galera/ports" >"$base/galera/node$node/ports"
    done
    # Only the first node gets a data directory; the others receive theirs by state transfer.
    local user_option=()
    if [ "$(id -u)" -eq 0 ]; then
      chown -R mysql:mysql "$base/galera"
      user_option=(--user=mysql)
    fi
    mariadb-install-db --no-defaults --datadir="$base/galera/node1/data" "${user_option[@]}" \
      --auth-root-authentication-method=normal --skip-test-db >"$base/galera/install.log" 2>&1 ||
      die "mariadb-install-db failed: see $base/galera/install.log"
    for node in $(seq 2 "$galera_nodes"); do mkdir -p "$base/galera/node$node/data"; done
    [ "$(id -u)" -eq 0 ] && chown -R mysql:mysql "$base/galera"
    start_galera_node 1 bootstrap
    wait_for "the first Galera node did not come up" 60 \
      bash -c "[ \"\$(mariadb --no-defaults --socket='$base/galera/node1/mariadbd.sock' -uroot -N -B \
        -e \"SHOW GLOBAL STATUS LIKE 'wsrep_ready'\" | cut -f2)\" = ON ]"
    local password
    password=$(state password)
    galera_client 1 -e "
      CREATE USER IF NOT EXISTS '$db_user'@'%' IDENTIFIED BY '$password';
      GRANT ALL PRIVILEGES ON *.* TO '$db_user'@'%' WITH GRANT OPTION;
      CREATE DATABASE IF NOT EXISTS $db_name;"
    running=(1)
  fi
  # The missing nodes join whichever nodes still run; a node whose data directory survived a kill
  # catches up by incremental or full state transfer.
  for node in $(seq 1 "$galera_nodes"); do
    galera_node_alive "$node" && continue
    rm -f "$base/galera/node$node/mariadbd.sock"
    start_galera_node "$node" join
  done
  wait_for "the Galera cluster did not reach $galera_nodes synced nodes" 120 all_galera_nodes_ready
  echo "Galera cluster of $galera_nodes nodes on 127.0.0.1 ports $(cut -d' ' -f1 "$base/galera/ports" | paste -sd' '); data in $base/galera" >&2
}

stop_galera() {
  [ -d "$base/galera" ] || return 0
  local pids=()
  for node in $(seq 1 "$galera_nodes"); do
    if galera_node_alive "$node"; then pids+=("$(head -n1 "$base/galera/node$node/mariadbd.pid")"); fi
  done
  for pid in "${pids[@]}"; do kill "$pid"; done
  for pid in "${pids[@]}"; do wait_for "Galera node $pid did not shut down" 60 bash -c "! kill -0 $pid"; done
  rm -rf "$base/galera"
}

print_galera_env() {
  local urls=()
  for node in $(seq 1 "$galera_nodes"); do
    galera_node_alive "$node" || die "Galera node $node is not running; run $0 start-galera"
    local ports
    read -r -a ports <"$base/galera/node$node/ports"
    urls+=("mysql://$db_user:$(state password)@127.0.0.1:${ports[0]}/$db_name")
  done
  echo "export MIGRATOR_TEST_GALERA_URLS='${urls[*]}'"
  # The cluster tests kill a node and bring it back with this script.
  echo "export MIGRATOR_TEST_GALERA_SCRIPT='$(realpath "$0")'"
  echo "export MIGRATOR_TEST_DB_DIR='$base'"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) print_env ;;
  start-galera) start_galera ;;
  stop-galera) stop_galera ;;
  env-galera) print_galera_env ;;
  *) echo "usage: $0 start|stop|env|start-galera|stop-galera|env-galera" >&2; exit 64 ;;
esac
