#!/usr/bin/env bash
# Runs one command ("$@") for exactly as long as this script's standard input stays open. The JVM
# that starts this script holds the other end of that pipe: when the JVM closes it, exits, or is
# killed (even with SIGKILL) the pipe reaches end-of-file and the command is stopped (SIGTERM, then
# SIGKILL after 60 s). If the command ends first (a test killed it), so does this script.
# Environment: GUARDED_LOG, the file the command's output is appended to. Prints "STARTED <pid>".
set -u
reader=""
"$@" >>"${GUARDED_LOG:-/dev/null}" 2>&1 &
child=$!
echo "STARTED $child"

stop_child() {
  # a second signal must not cut the stop short and leave the command running
  trap '' TERM INT HUP
  if kill -0 "$child" 2>/dev/null; then
    kill -TERM "$child" 2>/dev/null
    for _ in $(seq 1 600); do kill -0 "$child" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$child" 2>/dev/null
  fi
  wait "$child" 2>/dev/null
  if [ -n "$reader" ]; then kill "$reader" 2>/dev/null; fi
}
trap stop_child EXIT
trap 'exit 143' TERM INT HUP

# The explicit <&0 matters: a background job of a non-interactive shell would otherwise read /dev/null.
cat <&0 >/dev/null &
reader=$!
wait -n "$reader" "$child"
