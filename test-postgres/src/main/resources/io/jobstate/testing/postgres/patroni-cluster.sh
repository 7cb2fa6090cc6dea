#!/usr/bin/env bash
# Guards the folder of a throwaway Patroni cluster (PatroniCluster) for exactly as long as this
# script's standard input stays open, then ends every process of the cluster and deletes the
# folder. The JVM that starts this script holds the other end of that pipe: when the JVM closes it,
# exits, or is killed (even with SIGKILL) the pipe reaches end-of-file and the cluster goes with it.
# SIGTERM/SIGINT/SIGHUP clean up the same way.
#
# The JVM starts etcd and the members' Patroni inside the folder, and Patroni starts PostgreSQL;
# each of them names the folder on its command line (a data folder, a configuration file), and a
# postmaster's children are found through it. The folder is on /dev/shm when there is one: the
# members' and etcd's fsyncs must not queue behind other builds' disk writes (a leader whose lease
# renewal waits longer than retry_timeout demotes itself: a failover no test asked for).
#
# Environment: PG_BIN (server binaries), PG_OWNER (the unprivileged user that runs PostgreSQL and
# Patroni when this runs as root; default postgres, else nobody). Prints "READY <dir> <owner>" once
# the folder exists.
set -u

base=${TMPDIR:-/tmp}
if [ -d /dev/shm ] && [ -w /dev/shm ]; then base=/dev/shm; fi
root=$(mktemp -d "$base/jobstate-patroni.XXXXXX") || exit 1
owner=${PG_OWNER:-}
if [ "$(id -u)" -eq 0 ] && [ -z "$owner" ]; then
  if id -u postgres >/dev/null 2>&1; then owner=postgres; else owner=nobody; fi
fi
[ -n "$owner" ] || owner=$(id -un)

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$owner" -- "$@"; else "$@"; fi
}

cleanup() {
  # a second signal must not cut the cleanup short and leave a process or files behind
  trap '' TERM INT HUP
  local named postmasters others servers data pid tries segments
  named=$(pgrep -f -- "$root/")
  # one line: the case pattern below looks for " <pid> "
  postmasters=$(for data in "$root"/*/data; do [ -f "$data/postmaster.pid" ] && head -n 1 "$data/postmaster.pid"; done | tr '\n' ' ')
  others=$(for pid in $named; do case " $postmasters " in *" $pid "*) ;; *) echo "$pid" ;; esac; done)
  # Patroni, etcd and the tools Patroni runs: all stopped before any is killed. Killed one by one,
  # a Patroni that saw etcd gone would stop its PostgreSQL itself, and be killed half-way through.
  # shellcheck disable=SC2086 # lists of process ids
  kill -STOP $others 2>/dev/null
  # shellcheck disable=SC2086
  kill -KILL $others 2>/dev/null
  # a frozen member (SIGSTOP) could not act on pg_ctl's signal
  servers=$(for pid in $postmasters; do echo "$pid"; pgrep -P "$pid"; done)
  # shellcheck disable=SC2086
  kill -CONT $servers 2>/dev/null
  # immediate: the data is thrown away (the server still removes its shared memory). A member the
  # JVM killed has no server left: pg_ctl says so.
  for data in "$root"/*/data; do
    if [ -f "$data/postmaster.pid" ]; then
      as_owner "$PG_BIN/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1
    fi
  done
  # Whatever is left — a server that would not stop — is killed; then what a killed server leaves
  # to no one is removed: its dynamic shared memory (the files its processes map) and its System V
  # segment (line 7 of postmaster.pid: key, then id).
  servers=$(for pid in $(pgrep -f -- "$root/"); do echo "$pid"; pgrep -P "$pid"; done)
  segments=$(for pid in $servers; do awk '$6 ~ /^\/dev\/shm\/PostgreSQL\./ { print $6 }' "/proc/$pid/maps" 2>/dev/null; done | sort -u)
  # shellcheck disable=SC2086
  kill -KILL $servers 2>/dev/null
  for data in "$root"/*/data; do
    if [ -f "$data/postmaster.pid" ]; then
      pid=$(head -n 1 "$data/postmaster.pid")
      tries=0
      while [ $tries -lt 100 ] && kill -0 "$pid" 2>/dev/null && [ "$(ps -o stat= -p "$pid" | cut -c1)" != Z ]; do
        sleep 0.1; tries=$((tries + 1))
      done
      sed -n 7p "$data/postmaster.pid" | awk 'NF == 2 { print $2 }' | xargs -r ipcrm -m 2>/dev/null
    fi
  done
  # shellcheck disable=SC2086
  [ -z "$segments" ] || rm -f $segments
  rm -rf "$root"
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP

# initdb and postgres refuse to run as root: the cluster belongs to an unprivileged user.
if [ "$(id -u)" -eq 0 ]; then chown "$owner" "$root"; fi
chmod 700 "$root"
echo "READY $root $owner"

# Block until the JVM's end of the pipe closes. The explicit <&0 matters: a background job of a
# non-interactive shell would otherwise read /dev/null and return at once.
cat <&0 >/dev/null &
wait $!
