#!/usr/bin/env bash
# Local SQS/SNS emulator (moto server), without Docker.
#
#   scripts/sqs-emulator.sh start    start it in the background (installs moto[server] with pip if needed)
#   scripts/sqs-emulator.sh stop     stop the server this script started
#   scripts/sqs-emulator.sh status   print state; exit 0 when running, 3 when not
#
# Endpoint: http://127.0.0.1:${SQS_PORT:-4566}; pid and log in ${PI_LOCAL_DIR:-<repo>/.local}.
# moto keeps everything in memory: after a restart run `cargo run -p local-stack -- provision` again.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/process.sh"

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
local_dir="${PI_LOCAL_DIR:-$repo/.local}"
port="${SQS_PORT:-4566}"
pid_file="$local_dir/sqs-emulator.pid"
log_file="$local_dir/sqs-emulator.log"
venv="$local_dir/moto-venv"
endpoint="http://127.0.0.1:$port"

log() { echo "sqs-emulator: $*" >&2; }
die() { echo "sqs-emulator: error: $*" >&2; exit 1; }

# Exit 0 when something answers HTTP on the port.
answers() {
  if command -v curl >/dev/null; then
    local code
    code="$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$endpoint/moto-api/" 2>/dev/null || true)"
    [[ -n "$code" && "$code" != "000" ]]
  else
    python3 - "$endpoint/moto-api/" <<'EOF' >/dev/null 2>&1
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(sys.argv[1], timeout=2)
except urllib.error.HTTPError:
    pass
EOF
  fi
}

our_pid() { pid_from_file "$pid_file"; }

# Prints the command that runs moto's server, installing moto[server] when needed.
moto_command() {
  if [[ -x "$venv/bin/moto_server" ]]; then
    echo "$venv/bin/moto_server"; return 0
  fi
  # pyenv shims exist even when the current Python has no such command: check it really runs.
  if command -v moto_server >/dev/null && moto_server --help >/dev/null 2>&1; then
    command -v moto_server; return 0
  fi
  command -v python3 >/dev/null || die "python3 is needed for moto (install Debian's python3 and python3-venv)"
  log "installing moto[server] with pip"
  if python3 -m pip install --quiet 'moto[server]' >&2 && python3 -c 'import moto.server, flask' 2>/dev/null; then
    if command -v moto_server >/dev/null && moto_server --help >/dev/null 2>&1; then
      command -v moto_server; return 0
    fi
    echo "python3 -m moto.server"; return 0
  fi
  # Debian's system Python refuses pip installs (PEP 668): use a private virtualenv instead.
  log "pip install failed; trying a virtualenv in $venv"
  python3 -m venv "$venv" >&2 || die "cannot create a virtualenv (install Debian's python3-venv)"
  "$venv/bin/pip" install --quiet 'moto[server]' >&2 || die "pip install 'moto[server]' failed"
  echo "$venv/bin/moto_server"
}

start() {
  mkdir -p "$local_dir"
  if pid="$(our_pid)"; then
    if answers; then
      log "already running (pid $pid) at $endpoint"
      return 0
    fi
  elif answers; then
    log "something already answers at $endpoint (not started by this script); using it"
    return 0
  fi
  local cmd
  cmd="$(moto_command)"
  log "starting moto at $endpoint (log $log_file)"
  # shellcheck disable=SC2086 # cmd may be "python3 -m moto.server"
  nohup $cmd -H 127.0.0.1 -p "$port" >"$log_file" 2>&1 </dev/null &
  echo $! >"$pid_file"
  for _ in $(seq 1 100); do
    if answers; then
      log "ready: $endpoint (pid $(cat "$pid_file"))"
      return 0
    fi
    if ! our_pid >/dev/null; then
      tail -n 20 "$log_file" >&2 || true
      rm -f "$pid_file"
      die "moto exited during start-up (log: $log_file)"
    fi
    sleep 0.2
  done
  die "moto did not answer at $endpoint within 20 s (log: $log_file)"
}

stop() { stop_pid_file "$pid_file" 5; }

status() {
  local pid
  if pid="$(our_pid)" && answers; then
    echo "sqs-emulator: running (pid $pid) at $endpoint"
    return 0
  fi
  if answers; then
    echo "sqs-emulator: something answers at $endpoint (not started by this script)"
    return 0
  fi
  echo "sqs-emulator: stopped"
  return 3
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
