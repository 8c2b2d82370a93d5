#!/usr/bin/env bash
# The local stack behind `make run`, without Docker:
#   PostgreSQL (migrated + seeded), the SQS/SNS emulator (topic, queues, DLQs, filter policies),
#   OpenLDAP (the Delius staff directory), the upstream + HMPPS Auth simulator, and every service
#   binary under projects/.
#
#   scripts/run-local.sh start | stop | status
#
# Everything runs in the background; pids and logs live in ${PI_LOCAL_DIR:-<repo>/.local}.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/process.sh"

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
export PI_LOCAL_DIR="${PI_LOCAL_DIR:-$repo/.local}"
export SQS_PORT="${SQS_PORT:-4566}"
export SIMULATOR_PORT="${SIMULATOR_PORT:-8090}"
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
bin="$target_dir/debug"
logs="$PI_LOCAL_DIR/logs"
pids="$PI_LOCAL_DIR/pids"
topology="crates/local-stack/topology.json"

log() { echo "run-local: $*" >&2; }
die() { echo "run-local: error: $*" >&2; exit 1; }

running_pid() { pid_from_file "$pids/$1.pid"; }

# Names of services in the topology that have a crate under projects/.
services() {
  python3 - "$topology" <<'PY'
import json, os, sys
for s in json.load(open(sys.argv[1]))["services"]:
    if os.path.exists(os.path.join("projects", s["name"], "Cargo.toml")):
        print(s["name"], s["port"])
PY
}

wait_http() { # url seconds name
  local url="$1" seconds="$2" name="$3" i
  for ((i = 0; i < seconds * 10; i++)); do
    if curl -fs -o /dev/null -m 1 "$url" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  die "$name did not answer $url within ${seconds}s (log: $logs/$name.log)"
}

start_bg() { # name command...
  local name="$1"; shift
  if pid="$(running_pid "$name")"; then
    log "$name already running (pid $pid)"
    return 0
  fi
  setsid nohup "$@" >"$logs/$name.log" 2>&1 </dev/null &
  echo $! >"$pids/$name.pid"
}

start() {
  mkdir -p "$logs" "$pids"
  command -v curl >/dev/null || die "curl is required (apt-get install curl)"
  scripts/postgres.sh start
  scripts/sqs-emulator.sh start
  scripts/ldap.sh start
  # The services that read staff e-mail/telephone from LDAP take its address from these.
  LDAP_URL="$(scripts/ldap.sh url)"
  export LDAP_URL
  export LDAP_USERNAME="${LDAP_ADMIN_DN:-cn=admin,dc=moj,dc=com}"
  export LDAP_PASSWORD="${LDAP_ADMIN_PASSWORD:-secret}"
  export LDAP_BASE="dc=moj,dc=com"
  local db_url
  db_url="$(scripts/postgres.sh url)"

  log "building the binaries (cargo build --workspace --bins)"
  cargo build --quiet --workspace --bins

  log "migrating and seeding the Delius database"
  "$bin/local-stack" migrate --database-url "$db_url" >/dev/null
  local seeds=(projects/*/dev-seed.sql)
  if [[ -e "${seeds[0]}" ]]; then
    log "loading the services' example people (${seeds[*]})"
    "$bin/local-stack" seed --database-url "$db_url" "${seeds[@]}" >/dev/null
  fi
  log "provisioning the topic, queues, DLQs and filter policies"
  "$bin/local-stack" provision >"$logs/provision.log"

  start_bg simulator "$bin/local-stack" simulate --port "$SIMULATOR_PORT"
  wait_http "http://127.0.0.1:$SIMULATOR_PORT/__admin/health" 20 simulator

  local started=()
  while read -r name port; do
    [[ -n "$name" ]] || continue
    [[ -x "$bin/$name" ]] || die "no binary $bin/$name (is the crate's [[bin]] named after the service?)"
    local env_lines
    env_lines="$("$bin/local-stack" env "$name" --database-url "$db_url")"
    # shellcheck disable=SC2086
    start_bg "$name" env $env_lines "$bin/$name"
    wait_http "http://127.0.0.1:$port/health/liveness" 60 "$name"
    started+=("$name on http://127.0.0.1:$port")
  done < <(services)

  cat <<TXT

The local stack is running:
  PostgreSQL      $db_url  (psql: make psql)
  SQS/SNS         http://127.0.0.1:$SQS_PORT  (topic hmpps-domain-events; make queues)
  LDAP            $LDAP_URL  (bind $LDAP_USERNAME; users under ou=Users,$LDAP_BASE)
  Simulator       http://127.0.0.1:$SIMULATOR_PORT  (upstream APIs + HMPPS Auth)
TXT
  if ((${#started[@]})); then
    printf '  Service         %s\n' "${started[@]}"
  else
    echo "  Services        none yet: no crate under projects/ (each service issue adds one)"
  fi
  cat <<TXT

Send an example message and see the result:
  make publish MESSAGE=crates/local-stack/messages/prison-custody-status-to-delius/prisoner-released.json
  make queues                      # where it went: visible / in flight / dead-lettered per queue
  make logs SERVICE=<service>      # the service's log, with its telemetry events
  make psql                        # then e.g. SELECT * FROM contact ORDER BY contact_id DESC LIMIT 5;
  curl -s -X POST 'http://127.0.0.1:$SIMULATOR_PORT/auth/dev-token?roles=ROLE_PROBATION_INTEGRATION_ADMIN'   # a token for the APIs

Stop everything with: make stop
TXT
}

stop() {
  local f
  for f in "$pids"/*.pid; do
    [[ -e "$f" ]] || continue
    stop_pid_file "$f" 10 "$(basename "$f" .pid)"
  done
  scripts/ldap.sh stop || true
  scripts/sqs-emulator.sh stop || true
  scripts/postgres.sh stop || true
}

status() {
  scripts/postgres.sh status || true
  scripts/sqs-emulator.sh status || true
  scripts/ldap.sh status || true
  local f name
  for f in "$pids"/*.pid; do
    [[ -e "$f" ]] || continue
    name="$(basename "$f" .pid)"
    if pid="$(running_pid "$name")"; then echo "$name: running (pid $pid)"; else echo "$name: stopped"; fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 start|stop|status" ;;
esac
