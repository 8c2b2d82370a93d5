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
