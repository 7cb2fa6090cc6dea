#!/bin/bash
# The group-commit measurement of docs/benchmarks.md ("Group commit: what batching transitions would
# pay"): how many transitions a second PostgreSQL applies when each transaction carries K of them
# instead of one, at 32 clients, for the lean transition (scripts/bench/lean-transition.sql, the
# floor) and for the service's own compare-and-set statement (the uniform pgbench script the build
# writes). K = 1 is today's one transaction per transition. A private, durable cluster (fsync and
# synchronous_commit on, as ./jobstate start makes it). Batches cannot deadlock: a lean batch takes
# its jobs in ascending order, and the service's clients each move jobs of their own (every 32nd),
# with one status-count slot per transaction. Run as root (the cluster runs as the postgres user);
# it stops and removes its cluster on exit. Tunables: SECONDS_PER_CELL (15), BATCHES ("1 2 4 8 16"),
# ROUNDS (2: every cell measured twice, alternating, after an untimed cell of each SQL), CLIENTS (32).
set -u
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
SCRIPTS=${JOBSTATE_PGBENCH_SCRIPTS:-$REPO/job-persistence/target/pgbench-scripts}
[ -f "$SCRIPTS/transition-uniform.sql" ] || { echo "no $SCRIPTS/transition-uniform.sql: ./mvnw -pl job-persistence test-compile exec:java@pgbench-scripts" >&2; exit 1; }
SECONDS_PER_CELL=${SECONDS_PER_CELL:-15}; BATCHES=${BATCHES:-"1 2 4 8 16"}; ROUNDS=${ROUNDS:-2}; CLIENTS=${CLIENTS:-32}
JOBS=10000
CELLS=0
PORT=${PORT:-25979}
. "$REPO/scripts/measure/private-cluster.sh"
private_cluster group-commit
$P -c "CREATE DATABASE lean" >/dev/null || exit 1
$P -d lean -f "$REPO/scripts/bench/lean-schema.sql" >/dev/null || exit 1
for f in $(migrations); do $P -f "$f" >/dev/null || exit 1; done

# K transitions in one transaction. Lean: ids b, b + 10000/K, ... (ascending); K = 1 is the lean
# transition itself. Service: the uniform script's statement K times between BEGIN and COMMIT (each
# takes the client's next job); K = 1 is the statement alone, auto-committed, as the service sends it.
for k in $BATCHES; do
  step=$((JOBS / k))
  {
    echo "\\set b random(1, $step)"
    echo "BEGIN;"
    for ((i = 0; i < k; i++)); do
      echo "\\set id :b + $((i * step))"
      grep -v '^\\set id\|^BEGIN\|^COMMIT\|^--' "$REPO/scripts/bench/lean-transition.sql"
    done
    echo "COMMIT;"
  } > $W/lean-$k.sql
  if [ $k = 1 ]; then
    # as the service sends it: one auto-committed statement, one round trip
    cp "$SCRIPTS/transition-uniform.sql" $W/service-1.sql
  else
    { echo "BEGIN;"; for ((i = 0; i < k; i++)); do cat "$SCRIPTS/transition-uniform.sql"; done; echo "COMMIT;"; } > $W/service-$k.sql
  fi
  # the same batch sent as one pipeline: every statement written before any answer is read, one wait per batch
  for sql in lean service; do
    [ $k = 1 ] && continue
    awk 'NR == 1 && /^\\set b / { print; print "\\startpipeline"; next } NR == 1 { print "\\startpipeline" } { print } END { print "\\endpipeline" }' \
      $W/$sql-$k.sql > $W/$sql-pipelined-$k.sql
  done
done

settle() {
  $P -c "CHECKPOINT" >/dev/null
  $P -c "VACUUM ANALYZE jobs, job_history, event_outbox" >/dev/null
  $P -d lean -c "VACUUM ANALYZE job, job_history, outbox" >/dev/null
}

history_rows() {
  $P -d $1 -tA -c "SELECT count(*) FROM job_history"
}

# One cell: prints applied transitions/s (history rows written, over the cell's seconds), the share of
# the statements sent that applied (the service writes history only for a transition it applied; the
# lean transition always writes its row), and the mean latency of a transaction. The service's cells each
# get 10,000 fresh PENDING jobs from number $4 on (as ./jobstate bench does): every client starts its
# cycle again, and on jobs left by an earlier cell its statements would find the wrong status and
# change nothing.
cell() {
  local sql=$1 k=$2 database=$3 base=$4 out processed latency before after
  if [ $database = postgres ]; then
    fresh_jobs postgres $base $JOBS || exit 1
  fi
  settle
  before=$(history_rows $database)
  out=$(cd $W && $B/pgbench -h 127.0.0.1 -p $PORT -U postgres -n -M prepared -c $CLIENTS -j 2 -T $SECONDS_PER_CELL \
    -D base=$base -D k=0 -D clients=$CLIENTS -D per=$((JOBS / CLIENTS)) -f $W/$sql-$k.sql $database 2>&1)
  after=$(history_rows $database)
  # a failed transaction, or a client that pgbench aborted on an error (its transactions are then missing)
  if echo "$out" | grep -q "number of failed transactions: [1-9]\|aborted"; then echo "$out" >&2; exit 1; fi
  processed=$(echo "$out" | sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p')
  latency=$(echo "$out" | sed -n 's/^latency average = \([0-9.]*\) ms/\1/p')
  [ -n "$processed" ] && [ "$processed" -gt 0 ] || { echo "$out" >&2; exit 1; }
  awk -v a=$((after - before)) -v d="$processed" -v k="$k" -v s="$SECONDS_PER_CELL" -v l="$latency" \
    'BEGIN { printf "%.0f %.1f%% %.2f", a / s, 100 * a / (d * k), l }'
}

echo "group commit: $(nproc) cores; $CLIENTS clients; ${SECONDS_PER_CELL}s per cell; $ROUNDS rounds; durable cluster (fsync, synchronous_commit on)"
# untimed: warms PostgreSQL's caches and plans before the first measured cell
for sql in lean service; do
  database=postgres; [ $sql = lean ] && database=lean
  cell $sql 1 $database $((1 + JOBS * CELLS++)) >/dev/null
done
printf "%-18s %3s %14s %8s %14s %6s\n" sql K transitions/s applied txn-mean-ms round
declare -A sum
for ((round = 1; round <= ROUNDS; round++)); do
  for k in $BATCHES; do
    variants="lean service"; [ $k != 1 ] && variants="$variants lean-pipelined service-pipelined"
    for sql in $variants; do
      database=postgres; [[ $sql == lean* ]] && database=lean
      base=$((1 + JOBS * CELLS++))
      read -r rate applied latency <<< "$(cell $sql $k $database $base)"
      # a failed cell ended only its own subshell: stop here (the trap stops the cluster)
      [ -n "$rate" ] || exit 1
      printf "%-18s %3s %14s %8s %14s %6s\n" $sql $k $rate $applied $latency $round
      sum[$sql-$k]=$(( ${sum[$sql-$k]:-0} + rate ))
    done
  done
done
echo "mean over the rounds, and against K = 1 of the same SQL:"
for sql in lean lean-pipelined service service-pipelined; do
  for k in $BATCHES; do
    [ -n "${sum[$sql-$k]:-}" ] || continue
    awk -v s=${sum[$sql-$k]} -v one=${sum[${sql%-pipelined}-1]:-0} -v r=$ROUNDS -v n=$sql -v k=$k \
      'BEGIN { printf "%-18s K=%-3s %8.0f transitions/s  %s\n", n, k, s / r, (one > 0 ? sprintf("x%.2f", s / one) : "") }'
  done
done
[ -n "${sum[lean-1]:-}" ] && [ -n "${sum[service-1]:-}" ] && awk -v s=${sum[service-1]} -v l=${sum[lean-1]} \
  'BEGIN { printf "service / lean at K = 1: %.2f\n", s / l }'
