# Process helpers sourced by the scripts that start local servers (postgres.sh, sqs-emulator.sh,
# ldap.sh, run-local.sh).

# A live process: exists and is not a zombie (where PID 1 does not reap orphans, a stopped server
# lingers as a zombie that `kill -0` still finds).
pid_alive() {
  local pid="$1" state
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  if [[ -r "/proc/$pid/stat" ]]; then
    state="$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' "/proc/$pid/stat" 2>/dev/null || true)"
    [[ -n "$state" && "$state" != "Z" && "$state" != "X" ]]
  else
    kill -0 "$pid" 2>/dev/null
  fi
}

# Prints the pid recorded in a pid file when that process is alive; fails otherwise.
pid_from_file() {
  local file="$1" pid
  [[ -f "$file" ]] || return 1
  pid="$(cat "$file" 2>/dev/null || true)"
  pid_alive "$pid" || return 1
  echo "$pid"
}

# Stops the process a pid file names: TERM, up to `seconds` to exit, then KILL; removes the file.
# `label` (optional) names it in the log lines, which go through the sourcing script's `log`.
stop_pid_file() {
  local file="$1" seconds="${2:-10}" label="${3:+$3 }" pid
  if ! pid="$(pid_from_file "$file")"; then
    rm -f "$file"
    log "${label}not running (no live pid in $file)"
    return 0
  fi
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((seconds * 10))); do
    pid_alive "$pid" || break
    sleep 0.1
  done
  if pid_alive "$pid"; then
    log "${label}pid $pid did not stop on TERM; sending KILL"
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
  log "stopped ${label}(pid $pid)"
}
