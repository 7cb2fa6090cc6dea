#!/bin/bash
# What one migration changes in a transition's cost, as docs/benchmarks.md ("What a transition costs
# PostgreSQL") records it for V15: the service's compare-and-set statement (the uniform pgbench script
# the build writes), auto-committed as the service sends it, at 32 clients, on two databases of one
# private, durable cluster: "before" migrated up to the version before VERSION, "after" including it.
# The two alternate, ROUNDS times, each cell on 10,000 fresh PENDING jobs after a CHECKPOINT and a
# VACUUM ANALYZE. Prints per cell the applied transitions per second and the CPU time of all the
# cluster's PostgreSQL processes per applied transition (as ./jobstate bench's "pg ms").
# Both databases run the statement of the current code (the script the build writes), so the figures
# are the migration's alone.
# With PROFILE=1 (needs perf) it also records each schema's last cell with perf and prints the share
# of PostgreSQL's CPU samples spent under the functions named in PROFILE_FUNCTIONS. perf records all
# of the machine, so the profiled round runs a little slower; it counts in the means like the others.
# PROFILE_DIR keeps the recordings (before.perf, after.perf; otherwise they go with the cluster).
# Run as root; it stops and removes its cluster on exit.
# Usage: scripts/measure/migration-cpu.sh VERSION   (e.g. 15)
# Tunables: SECONDS_PER_CELL (15), ROUNDS (3), CLIENTS (32), PROFILE, PROFILE_FUNCTIONS.
set -u
VERSION=${1:?usage: $0 VERSION (the migration to measure, e.g. 15)}
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
SCRIPT=${JOBSTATE_PGBENCH_SCRIPTS:-$REPO/job-persistence/target/pgbench-scripts}/transition-uniform.sql
[ -f "$SCRIPT" ] || { echo "no $SCRIPT: ./mvnw -pl job-persistence test-compile exec:java@pgbench-scripts" >&2; exit 1; }
ls "$REPO"/job-persistence/src/main/resources/db/migration/V"${VERSION}"__*.sql >/dev/null 2>&1 || { echo "no migration V$VERSION" >&2; exit 1; }
SECONDS_PER_CELL=${SECONDS_PER_CELL:-15}; ROUNDS=${ROUNDS:-3}; CLIENTS=${CLIENTS:-32}; PROFILE=${PROFILE:-}
[ -z "$PROFILE" ] || command -v perf >/dev/null || { echo "PROFILE=1 needs perf" >&2; exit 1; }
PROFILE_FUNCTIONS=${PROFILE_FUNCTIONS:-"ExecConstraints stringToNode plpgsql_exec_trigger AfterTriggerEndQuery ExecInsertIndexTuples CommitTransactionCommand"}
JOBS=10000
PORT=${PORT:-25983}
. "$REPO/scripts/measure/private-cluster.sh"
. "$REPO/scripts/lib/cpu-ticks.sh"
private_cluster migration-cpu
for schema in before after; do
  $P -c "CREATE DATABASE $schema" >/dev/null || exit 1
done
for f in $(migrations); do
  v=$(basename "$f" | sed 's/^V\([0-9]*\)__.*/\1/')
  [ "$v" -gt "$VERSION" ] && break
  [ "$v" -lt "$VERSION" ] && { $P -d before -f "$f" >/dev/null || exit 1; }
  $P -d after -f "$f" >/dev/null || exit 1
done

# cell SCHEMA FIRST_JOB [PROFILE_FILE]: "transitions/s pg-ms"
cell() {
  local schema=$1 first=$2 profile=${3:-} out before after ticks_before ticks
  fresh_jobs $schema $first $JOBS || exit 1
  $P -d $schema -c "CHECKPOINT" >/dev/null
  $P -d $schema -c "VACUUM ANALYZE jobs, job_history, event_outbox" >/dev/null
  before=$($P -d $schema -tA -c "SELECT count(*) FROM job_history")
  ticks_before=$(pg_cpu_ticks "$D")
  if [ -n "$profile" ]; then
    # the middle of the cell: clients connected, not yet ending
    (sleep $((SECONDS_PER_CELL / 4)); perf record -q -e cpu-clock -F 499 -g -a -o "$profile" -- sleep $((SECONDS_PER_CELL / 2)) >/dev/null 2>&1) &
  fi
  out=$(cd $W && $B/pgbench -h 127.0.0.1 -p $PORT -U postgres -n -M prepared -c $CLIENTS -j 2 -T $SECONDS_PER_CELL \
    -D base=$first -D k=0 -D clients=$CLIENTS -D per=$((JOBS / CLIENTS)) -f "$SCRIPT" $schema 2>&1)
  wait
  if echo "$out" | grep -q "number of failed transactions: [1-9]\|aborted"; then echo "$out" >&2; exit 1; fi
  # a backend's CPU reaches the postmaster's cutime once the postmaster has reaped it
  while [ "$($P -tA -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")" -gt 1 ]; do sleep 0.2; done
  sleep 0.5
  ticks=$(( $(pg_cpu_ticks "$D") - ticks_before ))
  after=$($P -d $schema -tA -c "SELECT count(*) FROM job_history")
  awk -v a=$((after - before)) -v s=$SECONDS_PER_CELL -v t=$ticks -v hz=$(getconf CLK_TCK) \
    'BEGIN { if (a > 0) printf "%.0f %.3f", a / s, 1000 * t / hz / a }'
}

# profile_shares FILE: the share of PostgreSQL's samples with each function on the stack
profile_shares() {
  local report
  report=$(perf report -i "$1" --comm postgres --children --percentage relative --sort sym -g none --stdio 2>/dev/null)
  for f in $PROFILE_FUNCTIONS; do
    echo "$report" | awk -v f="$f" '$NF == f { printf "  %-28s %s\n", f, $1; found = 1 } END { if (!found) printf "  %-28s -\n", f }'
  done
}

echo "migration V$VERSION: $(nproc) cores; $CLIENTS clients; ${SECONDS_PER_CELL}s per cell; $ROUNDS rounds; durable cluster"
first=1
for schema in before after; do   # untimed: caches and plans
  [ -n "$(cell $schema $first)" ] || exit 1
done
printf "%-8s %6s %14s %8s\n" schema round transitions/s "pg ms"
declare -A rate_sum ms_sum
for ((round = 1; round <= ROUNDS; round++)); do
  first=$((first + JOBS))
  for schema in before after; do
    profile=""; [ -n "$PROFILE" ] && [ $round = $ROUNDS ] && profile=${PROFILE_DIR:-$W}/$schema.perf
    read -r rate ms <<< "$(cell $schema $first "$profile")"
    [ -n "$rate" ] || exit 1   # a failed cell ended only its subshell
    printf "%-8s %6s %14s %8s\n" $schema $round $rate $ms
    rate_sum[$schema]=$(( ${rate_sum[$schema]:-0} + rate ))
    ms_sum[$schema]=$(awk -v a=${ms_sum[$schema]:-0} -v b=$ms 'BEGIN { print a + b }')
  done
done
awk -v rb=${rate_sum[before]} -v ra=${rate_sum[after]} -v mb=${ms_sum[before]} -v ma=${ms_sum[after]} -v r=$ROUNDS \
  'BEGIN { printf "mean: before %.0f/s %.3f pg ms; after %.0f/s %.3f pg ms; rate x%.2f, pg ms x%.2f\n", rb / r, mb / r, ra / r, ma / r, ra / rb, ma / mb }'
if [ -n "$PROFILE" ]; then
  for schema in before after; do
    echo "$schema, share of PostgreSQL's CPU samples (round $ROUNDS):"
    profile_shares ${PROFILE_DIR:-$W}/$schema.perf
  done
fi
