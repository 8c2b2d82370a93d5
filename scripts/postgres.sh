#!/usr/bin/env bash
# Local PostgreSQL 15 for development and tests, without Docker.
#
#   scripts/postgres.sh start    create (first time) and start the cluster; ensure role + database `delius`
#   scripts/postgres.sh stop     stop it (fast shutdown)
#   scripts/postgres.sh status   print state; exit 0 when running, 3 when not
#   scripts/postgres.sh url      print the connection URL
#   scripts/postgres.sh destroy  stop it and delete its data
#
# Data:   ${PI_LOCAL_DIR:-<repo>/.local}/postgres   (log: postgres.log, socket dir: postgres-socket/)
# Port:   ${PGPORT:-55432}, listening on 127.0.0.1 only; trust authentication (dev/test only).
# Tuned for tests: fsync, synchronous_commit and full_page_writes off; max_connections 300.
# Installs Debian's `postgresql` with apt-get when no initdb is found. Run as root, the server runs as the
# `postgres` OS user (PostgreSQL refuses to run as root).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/process.sh"

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
local_dir="${PI_LOCAL_DIR:-$repo/.local}"
# Run as root, the server runs as the `postgres` OS user, which cannot enter private folders such as
# /root. A checkout there keeps its cluster under /var/tmp instead (one per checkout path).
if [[ $(id -u) -eq 0 ]] && id postgres >/dev/null 2>&1; then
  probe="$local_dir"
  while [[ ! -e "$probe" ]]; do probe="$(dirname "$probe")"; done
  if ! su -s /bin/sh postgres -c "test -x $(printf '%q' "$probe")" 2>/dev/null; then
    local_dir="/var/tmp/probation-integration-$(printf '%s' "$repo" | md5sum | cut -c1-8)"
  fi
fi
port="${PGPORT:-55432}"
db_name="delius"
db_user="delius"
db_password="delius"

log() { echo "postgres: $*" >&2; }
die() { echo "postgres: error: $*" >&2; exit 1; }

url() { echo "postgres://${db_user}:${db_password}@127.0.0.1:${port}/${db_name}"; }

find_bin() {
  local dir
  if [[ -n "${PG_BIN:-}" ]]; then
    [[ -x "$PG_BIN/initdb" ]] || die "PG_BIN=$PG_BIN has no initdb"
    echo "$PG_BIN"; return 0
  fi
  if [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then
    echo /usr/lib/postgresql/15/bin; return 0
  fi
  # highest installed version otherwise
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
    if [[ -x "$dir/initdb" ]]; then echo "$dir"; return 0; fi
  done
  return 1
}

install_postgres() {
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "PostgreSQL is not installed and this is not root (no sudo): install the Debian package 'postgresql'"
    sudo="sudo"
  fi
  log "installing PostgreSQL with apt-get (no initdb found under /usr/lib/postgresql)"
  # Do not let the package create and start its own 'main' cluster on port 5432.
  $sudo mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" | $sudo tee /etc/postgresql-common/createcluster.d/local-stack.conf >/dev/null
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
}

bin=""
resolve_bin() {
  if ! bin="$(find_bin)"; then
    install_postgres
    bin="$(find_bin)" || die "initdb still not found after installing postgresql"
  fi
}

data_dir="$local_dir/postgres"
socket_dir="$local_dir/postgres-socket"
log_file="$local_dir/postgres.log"

# Runs a PostgreSQL program as the cluster owner.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    if command -v runuser >/dev/null; then
      runuser -u postgres -- "$@"
    else
      su -s /bin/sh postgres -c "$(printf '%q ' "$@")"
    fi
  else
    "$@"
  fi
}

prepare_dirs() {
  mkdir -p "$data_dir" "$socket_dir"
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "no 'postgres' OS user to run the server as (install the Debian postgresql package)"
    chown postgres:postgres "$data_dir" "$socket_dir"
    chmod 700 "$data_dir"
    touch "$log_file" && chown postgres:postgres "$log_file"
    if ! as_owner test -w "$data_dir"; then
      die "the postgres OS user cannot reach $data_dir (a parent folder is private, e.g. /root): set PI_LOCAL_DIR to a folder it can reach, e.g. PI_LOCAL_DIR=/var/tmp/pi-local"
    fi
  else
    chmod 700 "$data_dir"
  fi
}

is_running() {
  [[ -f "$data_dir/postmaster.pid" ]] || return 1
  pid_alive "$(head -n1 "$data_dir/postmaster.pid" 2>/dev/null || true)"
}

# Lock files left by a server that died without cleaning up would block the next start.
remove_stale_locks() {
  local file pid
  for file in "$data_dir/postmaster.pid" "$socket_dir/.s.PGSQL.$port.lock"; do
    [[ -f "$file" ]] || continue
    pid="$(head -n1 "$file" 2>/dev/null | tr -d ' -')"
    if ! pid_alive "$pid"; then
      log "removing stale $(basename "$file") (pid ${pid:-?} is gone)"
      rm -f "$file"
      [[ "$file" == *.lock ]] && rm -f "${file%.lock}"
    fi
  done
  return 0
}

init_cluster() {
  log "initialising a new cluster in $data_dir"
  as_owner "$bin/initdb" -D "$data_dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null 2>&1 ||
    as_owner "$bin/initdb" -D "$data_dir" -U postgres --auth=trust --encoding=UTF8 --no-locale >/dev/null ||
    die "initdb failed"
  local conf="$data_dir/postgresql.conf"
  if ! grep -q "^include_if_exists = 'local-stack.conf'" "$conf"; then
    echo "include_if_exists = 'local-stack.conf'" >>"$conf"
  fi
}

write_settings() {
  local file="$data_dir/local-stack.conf"
  cat >"$file" <<EOF
# written by scripts/postgres.sh on every start: tuned for disposable dev/test data
listen_addresses = '127.0.0.1'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
shared_buffers = 256MB
log_min_messages = warning
log_min_duration_statement = -1
EOF
  [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$file"
  return 0
}

psql_admin() {
  as_owner "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$socket_dir" -p "$port" -U postgres -d postgres "$@"
}

ensure_database() {
  local exists
  exists="$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$db_user'")"
  if [[ "$exists" != "1" ]]; then
    psql_admin -c "CREATE ROLE $db_user LOGIN SUPERUSER PASSWORD '$db_password'"
    log "created role $db_user"
  else
    psql_admin -c "ALTER ROLE $db_user LOGIN SUPERUSER PASSWORD '$db_password'"
  fi
  exists="$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$db_name'")"
  if [[ "$exists" != "1" ]]; then
    psql_admin -c "CREATE DATABASE $db_name OWNER $db_user"
    log "created database $db_name"
  fi
}

start() {
  resolve_bin
  if is_running; then
    log "already running on 127.0.0.1:$port (data $data_dir)"
  else
    prepare_dirs
    [[ -f "$data_dir/PG_VERSION" ]] || init_cluster
    write_settings
    remove_stale_locks
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      die "port $port is already in use by another program: set PGPORT to a free port"
    fi
    log "starting PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
    as_owner "$bin/pg_ctl" -D "$data_dir" -l "$log_file" -w -t 60 \
      -o "-p $port -k $socket_dir -c listen_addresses=127.0.0.1" start >/dev/null ||
      { tail -n 20 "$log_file" >&2 || true; die "pg_ctl start failed (log: $log_file)"; }
  fi
  ensure_database
  log "ready: $(url)"
}

stop() {
  bin="$(find_bin)" || { log "not installed; nothing to stop"; return 0; }
  if is_running; then
    as_owner "$bin/pg_ctl" -D "$data_dir" -m fast -w -t 60 stop >/dev/null
    log "stopped"
  else
    remove_stale_locks
    log "not running"
  fi
}

# Stops the cluster and deletes its data, wherever it lives (also the /var/tmp fallback).
destroy() {
  stop
  rm -rf "$data_dir" "$socket_dir" "$log_file"
  log "deleted $data_dir"
}

status() {
  bin="$(find_bin)" || { echo "postgres: not installed"; return 3; }
  if is_running; then
    echo "postgres: running on 127.0.0.1:$port (data $data_dir) $(url)"
    return 0
  fi
  echo "postgres: stopped (data $data_dir)"
  return 3
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  destroy) destroy ;;
  status) status ;;
  url) url ;;
  *)
    echo "usage: $0 start|stop|status|url|destroy" >&2
    exit 2
    ;;
esac
