# ./jobstate bench soak — sourced by ./jobstate after scripts/bench.sh (whose start, cleanup and
# Liberty helpers it uses).
#
# A paced, steady workload on one Liberty and a database of its own in the private PostgreSQL
# (jobstate_soak, made afresh), with retention of seconds, for a given time: does anything grow?
# scripts/bench/Soak.java drives it (a new job every 1/rate s, each created, queued, started with a
# lease, heartbeated, given progress, then completed, or failed and retried, or cancelled) and samples,
# every sample interval, each table's live rows, dead tuples and size with its indexes, the database's
# size, the server's live heap after a full GC, and the p50/p99 of the transitions. Writes
# $STATE/bench/soak.txt (the table and the verdict), soak.csv and soak.png; fails (after writing them)
# when, over the second half, a size or the heap grows by more than 10% or the p99 rises by more than
# 50%, or the run was unsound (an answer other than 2xx, no job pruned).
# Tunables: JOBSTATE_SOAK_SECONDS (1800), JOBSTATE_SOAK_RATE (jobs per second, 20),
# JOBSTATE_SOAK_SAMPLE_SECONDS (60), and the service's retention settings (JOBSTATE_RETENTION_*,
# JOBSTATE_EVENTS_RETENTION, JOBSTATE_EVENTS_PRUNE_INTERVAL; defaults below, in seconds).
# JOBSTATE_BENCH_SMOKE=1 (./jobstate bench soak --smoke): 30 s at 5 jobs/s, a sample every 5 s, retention
# of 3 s: proves the instrument works (the flatness is printed, not enforced), measures nothing.

SOAK_DATABASE=jobstate_soak

if [ "${JOBSTATE_BENCH_SMOKE:-}" = 1 ]; then
  SOAK_SECONDS=${JOBSTATE_SOAK_SECONDS:-30}
  SOAK_RATE=${JOBSTATE_SOAK_RATE:-5}
  SOAK_SAMPLE=${JOBSTATE_SOAK_SAMPLE_SECONDS:-5}
  SOAK_KEPT=PT3S SOAK_KEPT_FAILED=PT3S SOAK_WINDOW=PT5S SOAK_EVERY=PT1S SOAK_EVENTS_KEPT=PT10S SOAK_EVENTS_EVERY=PT1S
  SOAK_SMOKE=true
else
  SOAK_SECONDS=${JOBSTATE_SOAK_SECONDS:-1800}
  SOAK_RATE=${JOBSTATE_SOAK_RATE:-20}
  SOAK_SAMPLE=${JOBSTATE_SOAK_SAMPLE_SECONDS:-60}
  SOAK_KEPT=PT30S SOAK_KEPT_FAILED=PT60S SOAK_WINDOW=PT60S SOAK_EVERY=PT5S SOAK_EVENTS_KEPT=PT2M SOAK_EVENTS_EVERY=PT10S
  SOAK_SMOKE=false
fi

cmd_bench_soak() {
  command -v gnuplot >/dev/null || die "gnuplot is needed for the plot (Debian/Ubuntu: apt-get install gnuplot-nox)"
  [ -z "${JOBSTATE_DB_URL:-}" ] || die "the soak runs on the private PostgreSQL: unset JOBSTATE_DB_URL"
  server_running && die "already running (./jobstate stop first)"
  require_free_http_port
  build
  PG_BIN_DIR=$(pg_bin) || exit 1
  [ -x "$PG_BIN_DIR/psql" ] || die "psql is needed next to the PostgreSQL server binaries in $PG_BIN_DIR (the Maven" \
    "Central binaries have none): install the machine's PostgreSQL (Debian/Ubuntu: apt-get install postgresql) or set JOBSTATE_PG_BIN"
  [ -x "$JAVA_HOME/bin/jcmd" ] || die "jcmd is needed (a full JDK: $JAVA_HOME has none)"
  BENCH_PG_WAS_RUNNING=false
  pg_running && BENCH_PG_WAS_RUNNING=true
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
  start_postgres
  # a database of its own, made afresh: the sizes start from an empty schema, and the service's own jobs stay untouched
  db_sql "DROP DATABASE IF EXISTS $SOAK_DATABASE" >/dev/null
  db_sql "CREATE DATABASE $SOAK_DATABASE OWNER $MIGRATION_ROLE" >/dev/null
  export JOBSTATE_DB_URL="jdbc:postgresql://127.0.0.1:$(cat "$PG_PORT_FILE")/$SOAK_DATABASE"
  export JOBSTATE_LOCKING=cas
  export JOBSTATE_RETENTION_COMPLETED=${JOBSTATE_RETENTION_COMPLETED:-$SOAK_KEPT}
  export JOBSTATE_RETENTION_CANCELLED=${JOBSTATE_RETENTION_CANCELLED:-$SOAK_KEPT}
  export JOBSTATE_RETENTION_FAILED=${JOBSTATE_RETENTION_FAILED:-$SOAK_KEPT_FAILED}
  export JOBSTATE_RETENTION_IDEMPOTENCY_WINDOW=${JOBSTATE_RETENTION_IDEMPOTENCY_WINDOW:-$SOAK_WINDOW}
  export JOBSTATE_RETENTION_INTERVAL=${JOBSTATE_RETENTION_INTERVAL:-$SOAK_EVERY}
  export JOBSTATE_EVENTS_RETENTION=${JOBSTATE_EVENTS_RETENTION:-$SOAK_EVENTS_KEPT}
  export JOBSTATE_EVENTS_PRUNE_INTERVAL=${JOBSTATE_EVENTS_PRUNE_INTERVAL:-$SOAK_EVENTS_EVERY}
  liberty_env
  BENCH_TOKEN=${JOBSTATE_BENCH_TOKEN:-$(dev_token coordinator)}
  mkdir -p "$BENCH_OUT"
  rm -f "$BENCH_OUT"/soak.*
  liberty_start
  # the service's own account of what it keeps (a retention that did not reach it prunes nothing: the soak fails)
  grep -o "retention: COMPLETED .*" "$WLP/usr/servers/$SERVER/logs/messages.log" | tail -n 1 >&2 \
    || die "Liberty does not report its retention in its log"
  say "soak: $SOAK_RATE jobs/s for $SOAK_SECONDS s, a sample every $SOAK_SAMPLE s (table: $BENCH_OUT/soak.txt)"
  local verdict=0
  JOBSTATE_BENCH_TOKEN=$BENCH_TOKEN "$JAVA_HOME/bin/java" -Xmx256m "$ROOT/scripts/bench/Soak.java" \
    "http://127.0.0.1:$HTTP_PORT" "$SOAK_RATE" "$SOAK_SECONDS" "$SOAK_SAMPLE" "$BENCH_OUT" "$PG_BIN_DIR/psql" \
    "$(cat "$PG_PORT_FILE")" "$SOAK_DATABASE" "$LIBERTY_PID" "$JAVA_HOME/bin/jcmd" "$SOAK_SMOKE" \
    2> "$BENCH_OUT/soak.log" || verdict=$?
  [ -s "$BENCH_OUT/soak.csv" ] || die "the soak wrote no samples: $(tail -n 20 "$BENCH_OUT/soak.log")"
  soak_plot
  say "table: $BENCH_OUT/soak.txt, CSV: $BENCH_OUT/soak.csv, plot: $BENCH_OUT/soak.png, log: $BENCH_OUT/soak.log"
  [ "$verdict" = 0 ] || die "the soak failed (see the verdict in $BENCH_OUT/soak.txt)"
}

soak_plot() {
  gnuplot <<GNUPLOT
set terminal pngcairo noenhanced size 1000,1100
set output "$BENCH_OUT/soak.png"
set datafile separator ","
set key autotitle columnhead top left
set multiplot layout 4,1 title "jobstate soak: $SOAK_RATE jobs/s, retention $JOBSTATE_RETENTION_COMPLETED, $(nproc) cores"
set xlabel "minutes"
set yrange [0:*]
set ylabel "table MB (with indexes)"
plot for [c in "4 7 10 13 16"] "$BENCH_OUT/soak.csv" using (\$1/60):(column(int(c))/1048576) with linespoints title columnhead(int(c))
set ylabel "database MB"
plot "$BENCH_OUT/soak.csv" using (\$1/60):(\$19/1048576) with linespoints title "pg_database_size"
set ylabel "live heap MB"
plot "$BENCH_OUT/soak.csv" using (\$1/60):(\$20/1048576) with linespoints title "heap after full GC"
set ylabel "ms"
plot "$BENCH_OUT/soak.csv" using (\$1/60):22 with linespoints title "transition p50", '' using (\$1/60):23 with linespoints title "transition p99"
unset multiplot
GNUPLOT
  [ -s "$BENCH_OUT/soak.png" ] || die "gnuplot drew no plot"
}
