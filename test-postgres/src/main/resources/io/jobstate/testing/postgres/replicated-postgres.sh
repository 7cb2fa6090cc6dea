#!/usr/bin/env bash
# Guards the folder of a replicated set of throwaway PostgreSQL clusters (ReplicatedPostgres) for
# exactly as long as this script's standard input stays open, then stops every server whose data
# folder is in it and deletes the folder. The JVM that starts this script holds the other end of
# that pipe: when the JVM closes it, exits, or is killed (even with SIGKILL) the pipe reaches
# end-of-file and the clusters go with it. SIGTERM/SIGINT/SIGHUP clean up the same way.
#
# Unlike throwaway-postgres.sh, this script makes no cluster itself: the JVM makes, starts, kills,
# promotes and re-attaches them (as PG_OWNER) inside the folder, which this script only guards.
#
# Environment: PG_BIN (server binaries), PG_OWNER (the unprivileged user that runs the clusters when
# this runs as root; default postgres, else nobody). Prints "READY <dir> <owner>" once the folder exists.
set -u

root=$(mktemp -d "${TMPDIR:-/tmp}/jobstate-pg-pair.XXXXXX") || exit 1
owner=${PG_OWNER:-}
if [ "$(id -u)" -eq 0 ] && [ -z "$owner" ]; then
  if id -u postgres >/dev/null 2>&1; then owner=postgres; else owner=nobody; fi
fi
[ -n "$owner" ] || owner=$(id -un)

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$owner" -- "$@"; else "$@"; fi
}

cleanup() {
  # a second signal must not cut the cleanup short and leave a server or files behind
  trap '' TERM INT HUP
  local data
  for data in "$root"/*/data; do
    # immediate: the data is thrown away. A node the JVM killed has no server left: pg_ctl says so.
    if [ -f "$data/postmaster.pid" ]; then
      as_owner "$PG_BIN/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1
    fi
  done
  rm -rf "$root"
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP

# initdb and postgres refuse to run as root: the clusters belong to an unprivileged user.
if [ "$(id -u)" -eq 0 ]; then chown "$owner" "$root"; fi
chmod 700 "$root"
echo "READY $root $owner"

# Block until the JVM's end of the pipe closes. The explicit <&0 matters: a background job of a
# non-interactive shell would otherwise read /dev/null and return at once.
cat <&0 >/dev/null &
wait $!
