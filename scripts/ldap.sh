#!/usr/bin/env bash
# Local OpenLDAP server standing in for the Delius LDAP directory (staff e-mail and telephone),
# without Docker.
#
#   scripts/ldap.sh start    create (first time) and start our own slapd; load the seed entries
#   scripts/ldap.sh stop     stop the slapd this script started
#   scripts/ldap.sh status   print state; exit 0 when running, 3 when not
#   scripts/ldap.sh url      print the server URL
#   scripts/ldap.sh destroy  stop it and delete its data
#
# Data:   ${PI_LOCAL_DIR:-<repo>/.local}/ldap   (slapd.conf, mdb database, pid, log)
# Port:   ${LDAP_PORT:-3389}, listening on 127.0.0.1 only.
# Tree:   suffix dc=moj,dc=com; admin ${LDAP_ADMIN_DN:-cn=admin,dc=moj,dc=com} / ${LDAP_ADMIN_PASSWORD:-secret};
#         entries from crates/local-stack/ldap/seed.ldif (existing entries are left as they are).
# Installs Debian's `slapd` and `ldap-utils` with apt-get when missing, without letting the package
# configure or start a system-wide slapd. The server runs as the calling user from a generated
# slapd.conf, so it needs no root-owned configuration.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/process.sh"

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
local_dir="${PI_LOCAL_DIR:-$repo/.local}"
ldap_dir="$local_dir/ldap"
db_dir="$ldap_dir/data"
conf="$ldap_dir/slapd.conf"
pid_file="$ldap_dir/slapd.pid"
log_file="$ldap_dir/slapd.log"
seed="$repo/crates/local-stack/ldap/seed.ldif"
port="${LDAP_PORT:-3389}"
suffix="dc=moj,dc=com"
admin_dn="${LDAP_ADMIN_DN:-cn=admin,$suffix}"
admin_password="${LDAP_ADMIN_PASSWORD:-secret}"
schema_dir="/etc/ldap/schema"

log() { echo "ldap: $*" >&2; }
die() { echo "ldap: error: $*" >&2; exit 1; }

url() { echo "ldap://127.0.0.1:${port}"; }

find_slapd() {
  local candidate
  for candidate in "${SLAPD:-}" /usr/sbin/slapd "$(command -v slapd 2>/dev/null || true)"; do
    if [[ -n "$candidate" && -x "$candidate" ]]; then echo "$candidate"; return 0; fi
  done
  return 1
}

installed() {
  find_slapd >/dev/null && command -v ldapwhoami >/dev/null && command -v ldapadd >/dev/null &&
    [[ -f "$schema_dir/inetorgperson.schema" ]]
}

# Stops a slapd the Debian package may have started for itself (it would hold port 389).
stop_system_slapd() {
  local pid file
  for file in /run/slapd/slapd.pid /var/run/slapd/slapd.pid; do
    [[ -f "$file" ]] || continue
    pid="$(cat "$file" 2>/dev/null || true)"
    if pid_alive "$pid"; then
      log "stopping the system slapd the package started (pid $pid)"
      kill "$pid" 2>/dev/null || true
    fi
  done
}

install_slapd() {
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || die "slapd is not installed and this is not root (no sudo): install the Debian packages 'slapd' and 'ldap-utils'"
    sudo="sudo"
  fi
  log "installing slapd and ldap-utils with apt-get"
  # Ask the package not to build a system directory of its own ...
  echo "slapd slapd/no_configuration boolean true" | $sudo debconf-set-selections
  # ... and not to start its daemon: policy-rc.d exit 101 forbids service starts during the install.
  local policy=/usr/sbin/policy-rc.d added_policy=""
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\n# written by scripts/ldap.sh during an install; removed afterwards\nexit 101\n' |
      $sudo tee "$policy" >/dev/null
    $sudo chmod 755 "$policy"
    added_policy=1
  fi
  local status=0
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq || status=$?
  if ((status == 0)); then
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slapd ldap-utils >/dev/null ||
      status=$?
  fi
  [[ -n "$added_policy" ]] && $sudo rm -f "$policy"
  ((status == 0)) || die "apt-get install slapd ldap-utils failed"
  stop_system_slapd
}

our_pid() { pid_from_file "$pid_file"; }

# Exit 0 when our directory accepts the admin bind (the suffix entry itself may not exist yet).
answers() {
  ldapwhoami -x -o nettimeout=2 -H "$(url)" -D "$admin_dn" -w "$admin_password" >/dev/null 2>&1
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

# Written on every start, so a changed port, password or layout takes effect on restart.
write_config() {
  local module_dir="" candidate
  for candidate in /usr/lib/ldap /usr/lib/*/ldap /usr/lib/openldap; do
    if [[ -e "$candidate/back_mdb.so" || -e "$candidate/back_mdb.la" ]]; then module_dir="$candidate"; break; fi
  done
  local password_hash
  password_hash="$(slappasswd_bin -s "$admin_password")"
  {
    echo "# written by scripts/ldap.sh on every start: a disposable dev/test directory"
    echo "include $schema_dir/core.schema"
    echo "include $schema_dir/cosine.schema"
    echo "include $schema_dir/inetorgperson.schema"
    echo "pidfile $pid_file"
    echo "argsfile $ldap_dir/slapd.args"
    echo "loglevel none"
    if [[ -n "$module_dir" ]]; then
      echo "modulepath $module_dir"
      echo "moduleload back_mdb"
    fi
    echo "database mdb"
    echo "maxsize 104857600"
    echo "suffix \"$suffix\""
    echo "rootdn \"$admin_dn\""
    echo "rootpw $password_hash"
    echo "directory $db_dir"
    echo "index objectClass eq"
    echo "index cn eq"
    # Like the real directory: nothing is readable without binding first.
    echo "access to * by users read by anonymous auth"
  } >"$conf"
  chmod 600 "$conf"
}

slappasswd_bin() {
  local bin
  bin="$(dirname "$(find_slapd)")/slappasswd"
  [[ -x "$bin" ]] || bin="$(command -v slappasswd)" || die "slappasswd not found"
  "$bin" "$@"
}

# Adds the seed entries; entries that already exist are kept, any other failure stops the start.
load_seed() {
  [[ -f "$seed" ]] || die "no seed file at $seed"
  local output status=0
  output="$(ldapadd -x -c -H "$(url)" -D "$admin_dn" -w "$admin_password" -f "$seed" 2>&1)" || status=$?
  if ((status != 0)); then
    local failures
    failures="$(grep -E '^ldap_add: ' <<<"$output" | grep -v 'Already exists (68)' || true)"
    if [[ -n "$failures" || $(grep -c '^ldap_add: ' <<<"$output") -eq 0 ]]; then
      echo "$output" >&2
      die "loading $seed failed"
    fi
  fi
  local added
  added="$(grep -c '^adding new entry' <<<"$output" || true)"
  local existing
  existing="$(grep -c 'Already exists (68)' <<<"$output" || true)"
  log "seed loaded from $(basename "$seed") ($((added - existing)) added, $existing already there)"
}

start() {
  local pid
  installed || install_slapd
  installed || die "slapd, ldap-utils or the inetOrgPerson schema still missing after installing"
  mkdir -p "$ldap_dir" "$db_dir"
  if pid="$(our_pid)"; then
    if answers; then
      log "already running (pid $pid) at $(url)"
      load_seed
      return 0
    fi
    die "slapd (pid $pid) is running but does not answer at $(url) (log: $log_file): run scripts/ldap.sh stop"
  fi
  rm -f "$pid_file"
  port_in_use && die "port $port is already in use by another program: set LDAP_PORT to a free port"
  write_config
  "$(find_slapd)" -Tt -u -f "$conf" >"$log_file" 2>&1 || { cat "$log_file" >&2; die "slapd.conf is not valid"; }
  log "starting slapd at $(url) (data $ldap_dir)"
  # -d 0 keeps slapd in the foreground (no detaching) with its start-up errors on stderr, in the log.
  setsid nohup "$(find_slapd)" -d 0 -f "$conf" -h "$(url)/" >"$log_file" 2>&1 </dev/null &
  local started=$!
  for _ in $(seq 1 100); do
    if answers; then
      [[ -f "$pid_file" ]] || echo "$started" >"$pid_file"
      log "ready: $(url) (pid $(cat "$pid_file"))"
      load_seed
      return 0
    fi
    if ! pid_alive "$started"; then
      tail -n 20 "$log_file" >&2 || true
      die "slapd exited during start-up (log: $log_file)"
    fi
    sleep 0.2
  done
  die "slapd did not answer at $(url) within 20 s (log: $log_file)"
}

stop() { stop_pid_file "$pid_file" 10; }

destroy() {
  stop
  rm -rf "$ldap_dir"
  log "deleted $ldap_dir"
}

status() {
  local pid
  if pid="$(our_pid)" && answers; then
    echo "ldap: running (pid $pid) at $(url) (data $ldap_dir)"
    return 0
  fi
  echo "ldap: stopped (data $ldap_dir)"
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
