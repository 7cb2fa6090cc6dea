#!/usr/bin/env bash
# Runs one private PostgreSQL cluster for exactly as long as this script's standard input stays
# open, then stops it and deletes every file it made. The JVM that starts this script holds the
# other end of that pipe: when the JVM closes it, exits, or is killed (even with SIGKILL) the pipe
# reaches end-of-file and the cluster goes with it. SIGTERM/SIGINT/SIGHUP clean up the same way.
#
# Environment: PG_BIN (server binaries), PG_PORT, PG_SETTINGS (extra "-c name=value" options),
# PG_OWNER (the unprivileged user that runs the cluster when this runs as root; default postgres,
# else nobody). Prints "READY <dir>" once the server accepts connections.
set -u

root=$(mktemp -d "${TMPDIR:-/tmp}/jobstate-pg.XXXXXX") || exit 1
owner=${PG_OWNER:-}
if [ "$(id -u)" -eq 0 ] && [ -z "$owner" ]; then
  if id -u postgres >/dev/null 2>&1; then owner=postgres; else owner=nobody; fi
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$owner" -- "$@"; else "$@"; fi
}

cleanup() {
  # a second signal must not cut the cleanup short and leave the cluster's files behind
  trap '' TERM INT HUP
  if [ -f "$root/data/postmaster.pid" ]; then
    as_owner "$PG_BIN/pg_ctl" -D "$root/data" -m fast -w -t 30 stop >/dev/null 2>&1 \
      || as_owner "$PG_BIN/pg_ctl" -D "$root/data" -m immediate -w stop >/dev/null 2>&1
  fi
  rm -rf "$root"
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP

# initdb and postgres refuse to run as root: the cluster belongs to an unprivileged user.
if [ "$(id -u)" -eq 0 ]; then chown "$owner" "$root"; fi
chmod 700 "$root"

if ! as_owner "$PG_BIN/initdb" -D "$root/data" -U postgres -A trust -E UTF8 --no-locale --no-sync \
    >"$root/initdb.log" 2>&1; then
  echo "initdb failed:" >&2; cat "$root/initdb.log" >&2; exit 1
fi
# shellcheck disable=SC2086 # PG_SETTINGS is a list of options
if ! as_owner "$PG_BIN/pg_ctl" -D "$root/data" -l "$root/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $root -c listen_addresses=127.0.0.1 ${PG_SETTINGS:-}" start >/dev/null 2>&1; then
  echo "PostgreSQL did not start:" >&2; cat "$root/server.log" >&2; exit 1
fi
echo "READY $root"

# Block until the JVM's end of the pipe closes. The explicit <&0 matters: a background job of a
# non-interactive shell would otherwise read /dev/null and return at once.
cat <&0 >/dev/null &
wait $!
