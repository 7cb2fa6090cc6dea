# ./jobstate bench and ./jobstate bench events — sourced by ./jobstate; the service's processes
# (private PostgreSQL, Liberty, tokens) come from scripts/lib/service.sh, sourced here too.
#
# One run on one machine: PostgreSQL as ./jobstate start makes it (durable: fsync and
# synchronous_commit on), then per locking path (cas, then pessimistic) Liberty is started and, for
# each workload (uniform: 10,000 jobs; hot: 4 jobs) and concurrency (8, 32), pgbench runs the
# service's own SQL transaction and wrk drives the HTTP API with the same choice of jobs and
# targets; each HTTP cell is compared with the pgbench cell measured just before it. Before each
# pass's uniform pgbench cells, pgbench runs the lean transition (scripts/bench/lean-schema.sql and
# lean-transition.sql, in a database of its own, jobstate_lean) at the same concurrency: the floor any
# durable transition costs, which every HTTP transition cell of that pass is also compared with (vs
# lean; hot cells with the uniform lean cell of their concurrency). On the cas pass also: the same
# uniform cell at the highest concurrency with event numbering deferred past the cell
# (a session holds event_feed's row lock, on which every publisher waits), and the read cells —
# GET /health/live, GET /api/jobs/{id} and GET /api/jobs?limit=50, each read next to pgbench running
# the very statement the service sent for it (taken from pg_stat_activity) — and the work-distribution
# cells (bench_claims): pgbench running the service's claim statement on a queue of QUEUED jobs, then 32
# workers claiming through POST /api/jobs/claims, then 32 workers listing QUEUED jobs and starting one
# (the 409 share of each), then the long-poll wake-up (job QUEUED -> parked claim answered). Every cell also gets the
# CPU time the Liberty JVM and the cluster's PostgreSQL processes spent in it, per request. After
# both passes: that uniform cell once more with tracing on, exported to a local OTLP sink
# (bench_traced), for tracing's JVM CPU per transition against the untraced cell's.
# Writes a table, a CSV and a PNG plot to $STATE/bench; fails (after writing them) on any answer
# other than 200/409, a failed pgbench transaction, a cell without goodput (a lean cell too), a field
# left empty, a uniform cell without an applied FAILED, a deferred cell that left nothing unnumbered, a claim cell
# whose queue ran dry or that got a 409, or a wake-up that went to no claim or to the wrong one.
# Tunables: JOBSTATE_BENCH_SECONDS (per cell, 20), JOBSTATE_BENCH_WARMUP (per path, 90),
# JOBSTATE_BENCH_CLIENTS ("8 32"), JOBSTATE_BENCH_TOKEN (else a development token),
# JOBSTATE_PGBENCH_SCRIPTS (job-persistence/target/pgbench-scripts, written by the build),
# JOBSTATE_BENCH_CLAIM_WORKERS (32), JOBSTATE_BENCH_WAKE_CLAIMERS (4), JOBSTATE_BENCH_WAKE_EVENTS (200; smoke 10),
# JOBSTATE_BENCH_JFR (0; smoke 1): 1 records a JDK Flight Recording (settings=profile) of Liberty's JVM
# during each HTTP cell, in target/jobstate/bench/jfr/<n>-<runner>-<workload>-<clients>.jfr; the
# recording costs the JVM a little, so compare figures only between runs recorded the same way.
# JOBSTATE_BENCH_SMOKE=1 (./jobstate bench --smoke): 2 s per cell, 1 s warm-up, 8 clients, 16
# uniform jobs (so that every step of the cycle, lease token included, comes round; a uniform cell
# without an applied FAILED is suspect in both modes), 1,000 jobs to read: proves the instrument
# works, measures nothing.

. "$(dirname "${BASH_SOURCE[0]}")/lib/service.sh"
. "$(dirname "${BASH_SOURCE[0]}")/lib/cpu-ticks.sh"

# a failure inside $(…) must stop the run, not leave empty fields in the table
shopt -s inherit_errexit

if [ "${JOBSTATE_BENCH_SMOKE:-}" = 1 ]; then
  BENCH_SECONDS=${JOBSTATE_BENCH_SECONDS:-2}
  BENCH_WARMUP=${JOBSTATE_BENCH_WARMUP:-1}
  BENCH_CLIENTS=${JOBSTATE_BENCH_CLIENTS:-8}
  # few enough that each connection's cycle reaches FAILED (the lease token) within a slow cell
  UNIFORM_JOBS=16
  READ_JOBS=1000
  ALL_STREAMS=${JOBSTATE_BENCH_ALL_STREAMS:-3}
  JOB_STREAMS=${JOBSTATE_BENCH_JOB_STREAMS:-4}
  STALLED_STREAMS=${JOBSTATE_BENCH_STALLED_STREAMS:-2}
  EVENT_JOBS=16
  WAKE_EVENTS=${JOBSTATE_BENCH_WAKE_EVENTS:-10}
  BENCH_JFR=${JOBSTATE_BENCH_JFR:-1}
  BENCH_MODE="SMOKE (proves the instrument works; the figures mean nothing)"
else
  BENCH_SECONDS=${JOBSTATE_BENCH_SECONDS:-20}
  # the JIT needs about a minute of load before a transition costs what it will (measured: 1.3, 0.7,
  # 0.45, then 0.21 ms of JVM CPU per request in four 20 s cells after a start)
  BENCH_WARMUP=${JOBSTATE_BENCH_WARMUP:-90}
  BENCH_CLIENTS=${JOBSTATE_BENCH_CLIENTS:-"8 32"}
  BENCH_JFR=${JOBSTATE_BENCH_JFR:-0}
  UNIFORM_JOBS=10000
  READ_JOBS=10000
  ALL_STREAMS=${JOBSTATE_BENCH_ALL_STREAMS:-1000}
  JOB_STREAMS=${JOBSTATE_BENCH_JOB_STREAMS:-1000}
  STALLED_STREAMS=${JOBSTATE_BENCH_STALLED_STREAMS:-10}
  # the paced cells' jobs: each one-job stream follows one of them, each gets a few events per cell
  EVENT_JOBS=$JOB_STREAMS
  WAKE_EVENTS=${JOBSTATE_BENCH_WAKE_EVENTS:-200}
  BENCH_MODE="${BENCH_SECONDS}s per cell"
fi
HOT_JOBS=4
# the claim cells' workers (connections) and the long-poll wake-up's parked claims
CLAIM_WORKERS=${JOBSTATE_BENCH_CLAIM_WORKERS:-32}
WAKE_CLAIMERS=${JOBSTATE_BENCH_WAKE_CLAIMERS:-4}
BENCH_OUT="$STATE/bench"
PGBENCH_SCRIPTS=${JOBSTATE_PGBENCH_SCRIPTS:-$ROOT/job-persistence/target/pgbench-scripts}
# the lean transition, the floor (scripts/bench/lean-schema.sql says why), in a database of its own
LEAN_DATABASE=jobstate_lean
LEAN_CREATED=false
CLK_TCK=$(getconf CLK_TCK)
# the session that defers event numbering (see bench_defer_numbering)
HOLDER_APP=jobstate-bench-numbering-hold
HOLDER_PID=""
HOLDER_FD=""
SUBSCRIBER=""
SUBSCRIBER_FD=""

bench_require() {
  command -v wrk >/dev/null || die "wrk is needed (Debian/Ubuntu: apt-get install wrk)"
  command -v gnuplot >/dev/null || die "gnuplot is needed for the plot (Debian/Ubuntu: apt-get install gnuplot-nox)"
  [ -z "${JOBSTATE_DB_URL:-}" ] || die "the benchmark runs on the private PostgreSQL: unset JOBSTATE_DB_URL"
  server_running && die "already running (./jobstate stop first)"
  require_free_http_port
}

# Builds (unless --no-build), starts PostgreSQL and arranges that everything this run starts is
# stopped on any exit; a PostgreSQL that was running before stays.
bench_start() {
  build
  # after the build: the search for the binaries is test-postgres's (pg_bin)
  PG_BIN_DIR=$(pg_bin) || exit 1
  [ -x "$PG_BIN_DIR/pgbench" ] && [ -x "$PG_BIN_DIR/psql" ] || die "pgbench and psql are needed next to the" \
    "PostgreSQL server binaries in $PG_BIN_DIR (the Maven Central binaries have neither): install the machine's" \
    "PostgreSQL (Debian/Ubuntu: apt-get install postgresql) or set JOBSTATE_PG_BIN"
  [ -f "$PGBENCH_SCRIPTS/transition-uniform.sql" ] \
    || die "no pgbench scripts in $PGBENCH_SCRIPTS (the build writes them: job-persistence, execution pgbench-scripts)"
  BENCH_PG_WAS_RUNNING=false
  pg_running && BENCH_PG_WAS_RUNNING=true
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
  start_postgres
  liberty_env
  BENCH_TOKEN=${JOBSTATE_BENCH_TOKEN:-$(dev_token coordinator)}
  mkdir -p "$BENCH_OUT/scripts"
  BENCH_RUN=$(( $(date +%s) % 100000000 ))
  BENCH_CELL=0
  BENCH_SUSPECT=""
}

# the cleanup must run to the end: no second signal and no set -e may cut it short
bench_cleanup() {
  # PIPE too: telling subscribers that died to QUIT writes to a FIFO without a reader, and that signal
  # would end this shell before Liberty and PostgreSQL are stopped
  trap '' INT TERM HUP PIPE
  set +e
  say "stopping …"
  bench_subscribers_stop
  # before Liberty: its publisher waits on the held lock, and a stopping server waits for its publisher
  bench_release_numbering
  stop_liberty
  bench_sink_stop
  $BENCH_PG_WAS_RUNNING || stop_postgres
}

liberty_start() {
  "$WLP/bin/server" start "$SERVER" >/dev/null || die "Liberty did not start"
  wait_ready || die "Liberty not ready"
  LIBERTY_PID=$(liberty_pid)
}

# Rows a set-up statement writes at most. Each status a statement's row enters or leaves is counted in
# its transaction's slot row (V5), so one statement of n rows makes n versions of that row, each found
# by stepping over the ones before: n squared (docs/operations.md, "Writing jobs by hand").
BULK_ROWS=1000

# The statements that write $1 rows, BULK_ROWS at a time: $2 with :first and :last replaced by each
# chunk's bounds (1-based), one autocommitted statement per chunk.
bulk_statements() {
  local first last sql
  for ((first = 1; first <= $1; first += BULK_ROWS)); do
    last=$(( first + BULK_ROWS - 1 < $1 ? first + BULK_ROWS - 1 : $1 ))
    sql=${2//:first/$first}
    echo "${sql//:last/$last}"
  done
}

# fresh PENDING jobs numbered base .. base+count-1, their ids computed from the number (as the pgbench and wrk scripts do)
bench_jobs() {
  db_sql "$(bulk_statements "$3" "INSERT INTO jobs (id, type, status, version, attempt, progress, created_at, updated_at)
    SELECT CAST(lpad(to_hex(n), 32, '0') AS uuid), :'type', 'PENDING', 0, 1, 0, now(), now()
    FROM generate_series(CAST(:'base' AS bigint) + :first - 1, CAST(:'base' AS bigint) + :last - 1) AS n;")" \
    -v type="$1" -v base="$2" >/dev/null
}

bench_applied() {
  db_sql "SELECT count(*) FROM job_history h JOIN jobs j ON j.id = h.job_id WHERE j.type = :'type'" -v type="$1"
}

bench_failed_transitions() {
  db_sql "SELECT count(*) FROM job_history h JOIN jobs j ON j.id = h.job_id WHERE j.type = :'type' AND h.to_status = 'FAILED'" \
    -v type="$1"
}

# percentiles (ms) of a column of microseconds on stdin: "p50 p99 p99.9"
percentiles() {
  sort -n | awk '{ v[NR] = $1 } END {
    split("50 99 99.9", p, " ")
    for (i = 1; i <= 3; i++) { r = int(p[i] / 100 * NR + 0.999999); if (r < 1) r = 1; printf "%.3f ", v[r] / 1000 }
  }'
}

# a quiet start for every cell: nothing left over from the last one (dirty pages, dead rows) is paid for by this one
bench_settle() {
  db_sql "CHECKPOINT" >/dev/null
  db_sql "VACUUM ANALYZE jobs, job_history, job_events, event_outbox" >/dev/null
  if $LEAN_CREATED; then lean_sql "VACUUM ANALYZE job, job_history, outbox" >/dev/null; fi
}

# --- the lean transition ----------------------------------------------------------------------------

# psql on the lean transition's database, SQL from $1
lean_sql() {
  db_sql "$1" -d "$LEAN_DATABASE"
}

# The lean transition's database, made afresh on the bench's cluster: owned, with its tables, by the
# role that owns the service's schema (as the soak's database is); pgbench runs in it as the service's
# pgbench cells run in jobstate.
bench_lean_database() {
  db_sql "DROP DATABASE IF EXISTS $LEAN_DATABASE" >/dev/null
  db_sql "CREATE DATABASE $LEAN_DATABASE OWNER $MIGRATION_ROLE" >/dev/null
  lean_sql "SET ROLE $MIGRATION_ROLE;
$(cat "$ROOT/scripts/bench/lean-schema.sql")" >/dev/null
  LEAN_CREATED=true
}

# The database work of a pgbench cell, which unlike CPU time does not depend on how the cores were
# shared: shared buffers its database's backends touched (hit or read; pgbench's backends report them
# when they exit, before the cell ends) and WAL written in the cluster. "buffers wal_lsn"; empty for
# other runners (Liberty's long-lived connections report their buffers up to a few seconds late).
pg_work() {
  local database=jobstate
  case "$1" in
    pgbench) ;;
    pgbench-lean) database=$LEAN_DATABASE ;;
    *) return 0 ;;
  esac
  db_sql "SELECT (SELECT blks_hit + blks_read FROM pg_stat_database WHERE datname = :'db') || ' ' || pg_current_wal_insert_lsn()" \
    -v db="$database"
}

# "N buffers, W B WAL" per transaction of a pgbench cell, from pg_work before ($2) and now, over $3 transactions
pg_work_per() {
  [ -n "$2" ] && [ "${3:-0}" -gt 0 ] || return 0
  local after
  after=$(pg_work "$1")
  db_sql "SELECT round((split_part(:'after', ' ', 1)::numeric - split_part(:'before', ' ', 1)::numeric) / :'n', 1)
    || ' buffers, ' || round(pg_wal_lsn_diff(split_part(:'after', ' ', 2)::pg_lsn, split_part(:'before', ' ', 2)::pg_lsn) / :'n')
    || ' B WAL'" -v before="$2" -v after="$after" -v n="$3"
}

lean_history_rows() {
  lean_sql "SELECT count(*) FROM job_history"
}

# JOBSTATE_BENCH_JFR=1: one flight recording of Liberty's JVM per HTTP cell ($1 names the cell), so that
# where a request's CPU goes can be read from the same run as its figures (jfr view hot-methods …).
BENCH_JFR_CELLS=0
bench_jfr_start() {
  [ "$BENCH_JFR" = 1 ] || return 0
  # a run's recordings only: an earlier run's would be read as this one's
  [ "$BENCH_JFR_CELLS" -gt 0 ] || rm -rf "$BENCH_OUT/jfr"
  BENCH_JFR_CELLS=$((BENCH_JFR_CELLS + 1))
  mkdir -p "$BENCH_OUT/jfr"
  "$JAVA_HOME/bin/jcmd" "$LIBERTY_PID" JFR.start name=bench-cell settings=profile \
    filename="$BENCH_OUT/jfr/$BENCH_JFR_CELLS-$1.jfr" >/dev/null || die "jcmd could not start a flight recording of Liberty ($LIBERTY_PID)"
}

bench_jfr_stop() {
  [ "$BENCH_JFR" = 1 ] || return 0
  "$JAVA_HOME/bin/jcmd" "$LIBERTY_PID" JFR.stop name=bench-cell >/dev/null || die "jcmd could not stop the flight recording of Liberty ($LIBERTY_PID)"
}

# "ms per request" of a tick difference over a number of requests
cpu_ms_per() {
  awk -v t="$1" -v hz="$CLK_TCK" -v n="$2" 'BEGIN { printf "%.3f", (n > 0 ? t * 1000 / hz / n : 0) }'
}

# $1 as a percentage of $2 ("0%" when $2 is 0)
percent_of() {
  awk -v a="$1" -v b="$2" 'BEGIN { p = (b > 0 ? 100 * a / b : 0); printf (p < 10 ? "%.1f%%" : "%.0f%%"), p }'
}

# pgbench's backends have left pg_stat_activity; a moment more and the postmaster has reaped them
# (their CPU time then counts in its cutime)
pgbench_backends_gone() {
  local deadline=$((SECONDS + 10))
  while [ "$(db_sql "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgbench'")" != 0 ]; do
    [ $SECONDS -lt $deadline ] || die "pgbench's backends did not end"
    sleep 0.1
  done
  sleep 0.3
}

# --- runners: each prints "requests seconds p50 p99 p999 ok statuses" ------------------------------

# one pgbench cell; latencies from a 20% sample of the per-transaction log (logging every
# transaction would cost the pgbench side client I/O); ok = transactions that did not fail
run_pgbench() {
  local workload=$1 clients=$2 base=$3 jobs=$4 script dir="$BENCH_OUT/pgbench-log" out database=jobstate
  case "$workload" in
    uniform|hot) script="$PGBENCH_SCRIPTS/transition-$workload.sql" ;;
    claim) script="$PGBENCH_SCRIPTS/claim.sql" ;;
    lean) script="$ROOT/scripts/bench/lean-transition.sql" database=$LEAN_DATABASE ;;
    *) script="$BENCH_OUT/scripts/$workload.sql" ;;
  esac
  rm -rf "$dir" && mkdir -p "$dir"
  out=$(cd "$dir" && "$PG_BIN_DIR/pgbench" -h 127.0.0.1 -p "$(cat "$PG_PORT_FILE")" -U postgres -n -M prepared \
    -c "$clients" -j 2 -T "$BENCH_SECONDS" -D base="$base" -D jobs="$jobs" -D k=0 -D clients="$clients" -D type="$CELL_TYPE" \
    -D per=$(( jobs / clients > 0 ? jobs / clients : 1 )) -f "$script" \
    -l --sampling-rate=0.2 --log-prefix="$dir/log" "$database" 2>&1) || { echo "$out" >&2; die "pgbench failed"; }
  local tps failed requests
  # pgbench's own rate over its measured time, like wrk's
  tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p')
  failed=$(echo "$out" | sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p')
  [ -n "$tps" ] || { echo "$out" >&2; die "pgbench printed no rate"; }
  requests=$(awk -v t="$tps" -v s="$BENCH_SECONDS" 'BEGIN { printf "%.0f", t * s }')
  echo "$requests $BENCH_SECONDS" "$(cat "$dir"/log* | awk '$3 != "failed" { print $3 }' | percentiles)" \
    "$((requests - ${failed:-0}))" "failed:${failed:-0}"
}

# one wrk cell
run_wrk() {
  local workload=$1 clients=$2 base=$3 jobs=$4 line threads=2
  # hot: one wrk thread, so that it knows the lease token of every run it started (each thread's Lua
  # state is its own) and presents the current one, as pgbench's hot script does with its fixed token
  [ "$workload" = hot ] && threads=1
  # list-start: a connection per thread, so that each connection starts a job of its own list
  [ "$workload" = list-start ] && threads=$clients
  line=$(wrk -t$threads -c"$clients" -d"${BENCH_SECONDS}s" -s "$ROOT/scripts/bench/http.lua" \
    "http://127.0.0.1:$HTTP_PORT" -- "$workload" "$base" "$jobs" "$BENCH_TOKEN" $threads "${CELL_TYPE:-}" | grep '^RESULT') \
    || die "wrk printed no result"
  WRK_LINE=$line
  local field; field() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
  local statuses; statuses=$(field statuses)
  [ "$(field socket_errors)" = 0 ] || statuses="$statuses,socket:$(field socket_errors)"
  echo "$(field requests) $(field seconds) $(field p50_ms) $(field p99_ms) $(field p999_ms) $(field ok) $statuses"
}

# --- cells ------------------------------------------------------------------------------------------

# fresh jobs for a cell: sets CELL_TYPE and CELL_BASE
bench_fresh_jobs() {
  BENCH_CELL=$((BENCH_CELL + 1))
  CELL_BASE=$(( BENCH_RUN * 1000000 + BENCH_CELL * 20000 ))
  CELL_TYPE="bench-$BENCH_RUN-$BENCH_CELL"
  bench_jobs "$CELL_TYPE" "$CELL_BASE" "$1"
}

BENCH_COLUMNS="workload,clients,runner,requests_per_s,goodput_per_s,p50_ms,p99_ms,p999_ms,jvm_cpu_ms_per_request,pg_cpu_ms_per_request,statuses,goodput_vs_pgbench,goodput_vs_live,goodput_vs_lean"

bench_header() {
  {
    echo "$1"
    echo "  req/s: answers (pgbench: transactions) per second; good/s: applied transitions (history rows) per second,"
    echo "  for reads 200 answers (pgbench: transactions) per second; p50/p99/p99.9: latency in ms;"
    echo "  jvm ms: CPU time of the Liberty JVM during the cell / the cell's requests (or transactions);"
    echo "  pg ms: CPU time of all the private cluster's PostgreSQL processes during the cell / requests;"
    echo "  vs pg: good/s / good/s of the pgbench cell just before (the same SQL);"
    echo "  vs live: good/s / good/s of GET /health/live (no token) in this run;"
    echo "  pgbench-lean: the lean transition (scripts/bench/lean-transition.sql: one UPDATE, a history row, an outbox"
    echo "  row, no triggers), the floor; vs lean: good/s / good/s of the pass's pgbench-lean cell at the same clients;"
    echo "  claim: POST /api/jobs/claims on a queue of QUEUED jobs (pgbench: the claim statement), good/s claims applied;"
    echo "  list-start: GET the QUEUED jobs, then POST RUNNING for one of them, good/s starts applied"
    printf '%-10s %7s %-17s %8s %8s %8s %8s %8s %7s %7s  %-22s %6s %6s %7s\n' workload clients runner "req/s" "good/s" \
      "p50 ms" "p99 ms" "p99.9 ms" "jvm ms" "pg ms" statuses "vs pg" "vs live" "vs lean"
  } | tee -a "$BENCH_OUT/results.txt"
}

# Measures one cell, prints its row and appends it to the CSV; sets CELL_GOODPUT. $4: the jobs
# to use (empty: fresh ones of the workload), $5: the pgbench goodput it is compared with, $6: the
# /health/live goodput it is compared with, $7: the lean transition's goodput it is compared with.
# Runner pgbench-lean (workload uniform) runs the lean transition in its own database: no jobs of ours.
bench_cell() {
  local runner=$1 workload=$2 clients=$3 base=${4:-} reference=${5:-} live=${6:-} lean=${7:-} jobs result applied lean_before
  case "$workload" in
    hot) jobs=$HOT_JOBS ;;
    uniform) jobs=$UNIFORM_JOBS ;;
    claim|list-start) jobs=$QUEUE_JOBS ;;
    *) jobs=$READ_JOBS ;;
  esac
  if [ "$runner" = pgbench-lean ]; then
    lean_before=$(lean_history_rows)
  elif [ -z "$base" ]; then
    bench_fresh_jobs "$jobs"
    base=$CELL_BASE
  fi
  bench_settle
  local jvm_before pg_before jvm_ticks pg_ticks work_before
  jvm_before=$(cpu_ticks "$LIBERTY_PID")
  pg_before=$(pg_cpu_ticks "$PGDATA_DIR")
  work_before=$(pg_work "$runner")
  if [ "$runner" = pgbench ]; then
    result=$(run_pgbench "$workload" "$clients" "$base" "$jobs")
    pgbench_backends_gone
  elif [ "$runner" = pgbench-lean ]; then
    result=$(run_pgbench lean "$clients" 0 0)
    pgbench_backends_gone
  else
    # not in $(…): the list-start counts are read from WRK_LINE
    bench_jfr_start "$runner-$workload-$clients"
    run_wrk "$workload" "$clients" "$base" "$jobs" > "$BENCH_OUT/wrk.result"
    bench_jfr_stop
    result=$(cat "$BENCH_OUT/wrk.result")
  fi
  jvm_ticks=$(( $(cpu_ticks "$LIBERTY_PID") - jvm_before ))
  pg_ticks=$(( $(pg_cpu_ticks "$PGDATA_DIR") - pg_before ))
  local requests seconds p50 p99 p999 ok statuses
  read -r requests seconds p50 p99 p999 ok statuses <<<"$result"
  CELL_WORK=$(pg_work_per "$runner" "$work_before" "$requests")
  [[ "$requests$seconds$p50$p99$p999$ok" =~ ^[0-9.]+$ ]] || die "unreadable measurement: $result"
  case "$runner/$workload" in
    pgbench-lean/*) applied=$(( $(lean_history_rows) - lean_before )) ;;
    */uniform|*/hot|*/claim|*/list-start) applied=$(bench_applied "$CELL_TYPE") ;;
    *) applied=$ok ;;
  esac
  # the uniform cycle must come round to FAILED, which presents the run's lease token (the lean one has none)
  if [ "$runner" != pgbench-lean ] && [ "$workload" = uniform ] && [ "$(bench_failed_transitions "$CELL_TYPE")" = 0 ]; then
    BENCH_SUSPECT="$BENCH_SUSPECT $runner/$workload/$clients(no FAILED transition applied)"
  fi
  local rate goodput ratio live_ratio lean_ratio jvm_ms pg_ms
  rate=$(awk -v r="$requests" -v s="$seconds" 'BEGIN { printf "%.0f", r / s }')
  goodput=$(awk -v a="$applied" -v s="$seconds" 'BEGIN { printf "%.0f", a / s }')
  ratio=$([ -z "$reference" ] || percent_of "$goodput" "$reference")
  live_ratio=$([ -z "$live" ] || percent_of "$goodput" "$live")
  lean_ratio=$([ -z "$lean" ] || percent_of "$goodput" "$lean")
  jvm_ms=$(cpu_ms_per "$jvm_ticks" "$requests")
  pg_ms=$(cpu_ms_per "$pg_ticks" "$requests")
  local fields=("$rate" "$p50" "$p99" "$p999" "$jvm_ms" "$pg_ms")
  [ -z "$reference" ] || fields+=("$ratio")
  [ -z "$live" ] || fields+=("$live_ratio")
  [ -z "$lean" ] || fields+=("$lean_ratio")
  bench_check_cell "$runner/$workload/$clients" "$statuses" "$applied" "${fields[@]}"
  echo "$workload,$clients,$runner,$rate,$goodput,$p50,$p99,$p999,$jvm_ms,$pg_ms,${statuses//,/ },$ratio,$live_ratio,$lean_ratio" \
    >> "$BENCH_OUT/results.csv"
  printf '%-10s %7s %-17s %8s %8s %8s %8s %8s %7s %7s  %-22s %6s %6s %7s\n' "$workload" "$clients" "$runner" "$rate" "$goodput" \
    "$p50" "$p99" "$p999" "$jvm_ms" "$pg_ms" "${statuses//,/ }" "$ratio" "$live_ratio" "$lean_ratio" | tee -a "$BENCH_OUT/results.txt"
  # not in a pipe or subshell: the next cell compares itself with this one
  CELL_GOODPUT=$goodput
  CELL_LEAN_RATIO=$lean_ratio
  CELL_PG_MS=$pg_ms
  CELL_JVM_MS=$jvm_ms
  CELL_STATUSES=$statuses
}

# Anything but success and conflict (a failed pgbench transaction, a socket error, a 4xx/5xx …), a
# cell without goodput or a field left empty makes the run suspect: it fails after writing its files.
# $1: the cell's name, $2: its statuses, $3: its successes (applied transitions, 200s), then every
# field that must not be empty.
bench_check_cell() {
  local cell=$1 statuses=$2 successes=$3 item field
  for item in ${statuses//,/ }; do
    case "$item" in 200:*|409:*|failed:0) ;; *) BENCH_SUSPECT="$BENCH_SUSPECT $cell($item)" ;; esac
  done
  [ -n "$statuses" ] || BENCH_SUSPECT="$BENCH_SUSPECT $cell(no statuses)"
  [ "${successes:-0}" -gt 0 ] 2>/dev/null || BENCH_SUSPECT="$BENCH_SUSPECT $cell(no goodput)"
  shift 2
  for field in "$@"; do
    [ -n "$field" ] || BENCH_SUSPECT="$BENCH_SUSPECT $cell(empty field)"
  done
}

# --- event numbering deferred -----------------------------------------------------------------------

# Every publisher (in every server instance) first takes event_feed's one row lock; transitions never
# touch that row. A session holding the lock therefore defers all numbering, and nothing else, until
# it lets go. The session reads its SQL from a pipe this shell keeps open: closing the pipe (also by
# this shell dying) ends the session, and with it the lock.
bench_defer_numbering() {
  local fifo="$BENCH_OUT/numbering-hold.fifo"
  rm -f "$fifo" && mkfifo "$fifo"
  chmod 644 "$fifo"
  as_owner "$PG_BIN_DIR/psql" -h 127.0.0.1 -p "$(cat "$PG_PORT_FILE")" -U postgres -X -q -v ON_ERROR_STOP=1 \
    -d "dbname=jobstate application_name=$HOLDER_APP" < "$fifo" > "$BENCH_OUT/numbering-hold.log" 2>&1 &
  HOLDER_PID=$!
  exec {HOLDER_FD}>"$fifo"
  echo "BEGIN; SELECT 1 FROM event_feed FOR UPDATE;" >&"$HOLDER_FD"
  local deadline=$((SECONDS + 30))
  until [ "$(db_sql "SELECT count(*) FROM pg_stat_activity WHERE application_name = :'app' AND state = 'idle in transaction'" \
             -v app="$HOLDER_APP")" = 1 ]; do
    kill -0 "$HOLDER_PID" 2>/dev/null || die "the session holding event_feed ended: $(cat "$BENCH_OUT/numbering-hold.log")"
    [ $SECONDS -lt $deadline ] || die "the session holding event_feed got no lock within 30 s"
    sleep 0.1
  done
}

# Lets numbering go on (no-op when nothing is held); safe to call from the exit trap.
bench_release_numbering() {
  [ -n "$HOLDER_FD" ] || return 0
  echo "COMMIT;" >&"$HOLDER_FD" 2>/dev/null
  exec {HOLDER_FD}>&-
  HOLDER_FD=""
  local waited=0
  while kill -0 "$HOLDER_PID" 2>/dev/null && [ $waited -lt 50 ]; do sleep 0.1; waited=$((waited + 1)); done
  kill "$HOLDER_PID" 2>/dev/null || true
  # whatever happened to the client, the server side must let go too
  pg_running && db_sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :'app'" \
    -v app="$HOLDER_APP" >/dev/null 2>&1
  HOLDER_PID=""
  return 0
}

# Waits until every event written so far is numbered; prints the seconds it took.
bench_wait_numbered() {
  local start=$EPOCHREALTIME deadline=$((SECONDS + ${JOBSTATE_BENCH_CATCHUP_TIMEOUT:-300}))
  while [ "$(db_sql "SELECT count(*) FROM event_outbox")" != 0 ]; do
    [ $SECONDS -lt $deadline ] || die "the event feed did not catch up within ${JOBSTATE_BENCH_CATCHUP_TIMEOUT:-300} s"
    sleep 0.2
  done
  awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'
}

# --- reads ------------------------------------------------------------------------------------------

# The statement the service sent for one request, as pg_stat_activity shows it (with $1 … for its
# parameters): asks $1 (a path) and takes the newest statement of the server's connections matching
# the regular expression $2. Asked up to 20 times: the pool may hand the request's connection to the
# server's own work (numbering, reaper, retention) before it is looked at, which then shows that.
bench_captured_sql() {
  local path=$1 pattern=$2 attempt sql
  for attempt in $(seq 20); do
    curl -fsS -m 10 -o /dev/null -H "Authorization: Bearer $BENCH_TOKEN" "http://127.0.0.1:$HTTP_PORT$path" \
      || die "GET $path failed"
    sql=$(db_sql "SELECT query FROM pg_stat_activity
                     WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ~* :'pattern'
                     ORDER BY state_change DESC LIMIT 1" -v pattern="$pattern")
    if [ -n "$sql" ]; then echo "$sql"; return; fi
  done
  die "found no statement like /$pattern/ after GET $path (did the service's SQL change shape?)"
}

# pgbench scripts of the read cells: the service's own statements, ids as the other scripts compute them
bench_read_scripts() {
  local job_sql list_sql id_sql="CAST(lpad(to_hex(CAST(:jid AS bigint)), 32, '0') AS uuid)"
  job_sql=$(bench_captured_sql "/api/jobs/$(bench_uuid "$READ_BASE")" '^\s*SELECT\s.*\sFROM\s+jobs\s+WHERE\s+\(?\s*(jobs\.)?id\s*=\s*\$1\s*\)?\s*$')
  # the page size is a literal or the statement's one parameter (51: a row more than the 50 asked tells whether a next page exists)
  list_sql=$(bench_captured_sql "/api/jobs?limit=50" '^\s*SELECT\s.*\sFROM\s+jobs\s.*ORDER\s+BY\s+created_at\s+DESC.*LIMIT\s+(51|\$1)\s*$')
  [[ $job_sql != *'$2'* ]] || die "the single-job read has more than one parameter: $job_sql"
  [[ $list_sql != *'$2'* ]] || die "the list read has more parameters than its limit: $list_sql"
  printf '\\set jid random(:base, :base + :jobs - 1)\n%s;\n' "${job_sql//\$1/$id_sql}" > "$BENCH_OUT/scripts/get-job.sql"
  printf '%s;\n' "${list_sql//\$1/51}" > "$BENCH_OUT/scripts/list-jobs.sql"
  say "read statements the service sent (pgbench runs them): $BENCH_OUT/scripts/get-job.sql, list-jobs.sql"
}

bench_uuid() {
  local hex
  hex=$(printf '%032x' "$1")
  echo "${hex:0:8}-${hex:8:4}-${hex:12:4}-${hex:16:4}-${hex:20:12}"
}

# --- work distribution: claims ----------------------------------------------------------------------

# Fresh QUEUED jobs, $1 of them, of a type of their own (sets CELL_TYPE; CELL_BASE is 0: a claim picks
# its job, nobody computes ids). Each chunk created PENDING (as the schema's guard demands) and moved to
# QUEUED by an UPDATE the guard checks; neither write records history, so the cell's history rows are
# its claims or starts alone. Then VACUUM (ANALYZE): a queue filled over hours is kept vacuumed and
# analysed by autovacuum, while one written in seconds would leave autovacuum working through its dead
# PENDING versions during the cell.
bench_queue() {
  BENCH_CELL=$((BENCH_CELL + 1))
  CELL_BASE=0
  CELL_TYPE="bench-$BENCH_RUN-$BENCH_CELL"
  db_sql "$(bulk_statements "$1" "INSERT INTO jobs (id, type, status, version, attempt, progress, created_at, updated_at)
    SELECT gen_random_uuid(), :'type', 'PENDING', 0, 1, 0, now(), now() FROM generate_series(:first, :last);
    UPDATE jobs SET status = 'QUEUED', previous_status = status, version = version + 1
    WHERE type = :'type' AND status = 'PENDING';")
    VACUUM (ANALYZE) jobs;" -v type="$CELL_TYPE" >/dev/null
}

# enough jobs that a cell at $1 jobs/s never runs dry: three times what that rate takes in a cell
queue_size() {
  awk -v r="${1:-0}" -v s="$BENCH_SECONDS" 'BEGIN { n = 3 * r * s; printf "%d", (n < 2000 ? 2000 : n) }'
}

# a cell that took every job of its queue measured an empty queue at the end: suspect
bench_check_not_dry() {
  [ "$(db_sql "SELECT count(*) FROM jobs WHERE type = :'type' AND status = 'QUEUED'" -v type="$CELL_TYPE")" -gt 0 ] \
    || BENCH_SUSPECT="$BENCH_SUSPECT $1(the queue ran dry)"
}

# The count of status $2 in a statuses field $1 (200:12,409:3), 0 when absent.
status_count() {
  tr ',' '\n' <<<"${1// /,}" | awk -F: -v s="$2" '$1 == s { n += $2 } END { printf "%d", n }'
}

# The claim cells (cas pass), CLAIM_WORKERS connections each: pgbench running the service's claim
# statement (job-persistence's claim.sql) on a queue of its own, then POST /api/jobs/claims on a fresh
# queue, then list-and-start (list the QUEUED jobs of the type, start one of them) on another; then the
# long-poll wake-up. Sets BENCH_CLAIM_SUMMARY.
bench_claims() {
  local claim_pg claim_http claims_ok claims_409 starts conflicts
  QUEUE_JOBS=$(queue_size "${BENCH_PG_UNIFORM:-0}")
  bench_queue "$QUEUE_JOBS"
  bench_cell pgbench claim "$CLAIM_WORKERS" "$CELL_BASE"
  bench_check_not_dry pgbench/claim
  claim_pg=$CELL_GOODPUT
  QUEUE_JOBS=$(queue_size "$claim_pg")
  bench_queue "$QUEUE_JOBS"
  bench_cell http-cas claim "$CLAIM_WORKERS" "$CELL_BASE" "$claim_pg"
  bench_check_not_dry http-cas/claim
  claim_http=$CELL_GOODPUT
  claims_ok=$(status_count "$CELL_STATUSES" 200)
  claims_409=$(status_count "$CELL_STATUSES" 409)
  bench_queue "$QUEUE_JOBS"
  bench_cell http-cas list-start "$CLAIM_WORKERS" "$CELL_BASE"
  bench_check_not_dry http-cas/list-start
  starts=$(result_field starts "$WRK_LINE")
  conflicts=$(result_field start_conflicts "$WRK_LINE")
  [ "${starts:-0}" -gt 0 ] || BENCH_SUSPECT="$BENCH_SUSPECT http-cas/list-start(no start sent)"
  # a claim never conflicts: one 409 makes the run suspect
  [ "$claims_409" = 0 ] || BENCH_SUSPECT="$BENCH_SUSPECT http-cas/claim(409 answers)"
  BENCH_CLAIM_SUMMARY="claims: $claim_http claims/s, $(percent_of "$claim_http" "$claim_pg") of pgbench running the claim statement"
  BENCH_CLAIM_SUMMARY+=" ($claim_pg/s; $CLAIM_WORKERS workers, waitSeconds 0)"$'\n'
  BENCH_CLAIM_SUMMARY+="409 answers, $CLAIM_WORKERS workers: claims $(percent_of "$claims_409" "$claims_ok")"
  BENCH_CLAIM_SUMMARY+=" ($claims_409 of $claims_ok claims),"
  BENCH_CLAIM_SUMMARY+=" list-and-start $(percent_of "$conflicts" "$starts") of starts ($conflicts of $starts;"
  BENCH_CLAIM_SUMMARY+=" $CELL_GOODPUT starts/s against $claim_http claims/s)"$'\n'
  bench_wake_ups
  BENCH_CLAIM_SUMMARY+=$BENCH_WAKE_SUMMARY
}

# The long-poll wake-up: WAKE_CLAIMERS claims parked (waitSeconds 30) on a type of their own, then
# WAKE_EVENTS jobs queued one at a time through the API, each once every claimer is parked
# (scripts/bench/ClaimWakeups.java); each timed from its QUEUED write (the database's time, in the
# answer's updatedAt) to the claim's answer.
bench_wake_ups() {
  local line
  # the measured jobs, then one more per claimer: it ends that claimer's last parked claim
  bench_fresh_jobs $((WAKE_EVENTS + WAKE_CLAIMERS))
  bench_settle
  line=$(JOBSTATE_BENCH_TOKEN=$BENCH_TOKEN "$JAVA_HOME/bin/java" -Xmx256m "$ROOT/scripts/bench/ClaimWakeups.java" \
    "http://127.0.0.1:$HTTP_PORT" "$CELL_TYPE" "$CELL_BASE" "$WAKE_EVENTS" "$WAKE_CLAIMERS" 2> "$BENCH_OUT/wake-ups.err" \
    | grep '^RESULT') || die "the wake-up measurement failed: $(tail -n 20 "$BENCH_OUT/wake-ups.err")"
  [ "$(result_field violations "$line")" = 0 ] || BENCH_SUSPECT="$BENCH_SUSPECT wake-ups($(result_field violations "$line") violations)"
  BENCH_WAKE_SUMMARY="long-poll wake-up, job QUEUED -> parked claim answered: p50 $(result_field p50_ms "$line") ms,"
  BENCH_WAKE_SUMMARY+=" p99 $(result_field p99_ms "$line") ms, max $(result_field max_ms "$line") ms ($WAKE_EVENTS jobs queued one at a"
  BENCH_WAKE_SUMMARY+=" time, $WAKE_CLAIMERS claims parked; claim statements per job $(result_field statements_per_job "$line"))"$'\n'
}

# --- the commands -----------------------------------------------------------------------------------

bench_plot() {
  # goodput per transition cell: pgbench (cas pass), http cas, http pessimistic, the lean transition
  # (cas pass; uniform only: "-", gnuplot's missing value, for hot)
  awk -F, 'NR > 1 && ($1 == "uniform" || $1 == "hot") {
             key = $1 "/" $2; if (!(key in seen)) { seen[key] = 1; order[++n] = key }
             if ($3 == "pgbench" && !(key in pg)) pg[key] = $5
             if ($3 == "pgbench-lean" && !(key in lean)) lean[key] = $5
             if ($3 == "http-cas") cas[key] = $5
             if ($3 == "http-pessimistic") pes[key] = $5 }
           END { for (i = 1; i <= n; i++) { k = order[i]; print k, pg[k], cas[k], pes[k], (k in lean ? lean[k] : "-") } }' \
    "$BENCH_OUT/results.csv" > "$BENCH_OUT/goodput.dat"
  gnuplot <<GNUPLOT
set terminal pngcairo size 900,500
set output "$BENCH_OUT/goodput.png"
set title "jobstate: successful transitions/s (durable PostgreSQL, $(nproc) cores)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set ylabel "transitions/s"
set key top right
set yrange [0:*]
set datafile missing "-"
plot "$BENCH_OUT/goodput.dat" using 2:xtic(1) title "pgbench (same SQL)", '' using 3 title "HTTP cas", '' using 4 title "HTTP pessimistic", \
  '' using 5 title "pgbench, lean transition (the floor)"
GNUPLOT
  [ -s "$BENCH_OUT/goodput.png" ] || BENCH_SUSPECT="$BENCH_SUSPECT plot(empty)"
}

bench_warm_up() {
  # the JIT compiles the request path before anything is measured
  bench_fresh_jobs "$UNIFORM_JOBS"
  BENCH_SECONDS=$BENCH_WARMUP run_wrk uniform 32 "$CELL_BASE" "$UNIFORM_JOBS" >/dev/null
}

cmd_bench() {
  bench_require
  bench_start
  local max_clients locking workload clients summary="" lean_summary="" lean_pg_summary="" work_summary=""
  # the lean transition's good/s at each concurrency, of the pass under way
  local -A lean_goodput
  max_clients=$(tr ' ' '\n' <<<"$BENCH_CLIENTS" | sort -n | tail -n 1)
  rm -f "$BENCH_OUT"/results.* "$BENCH_OUT"/goodput.* "$BENCH_OUT"/scripts/*.sql
  bench_lean_database
  echo "$BENCH_COLUMNS" > "$BENCH_OUT/results.csv"
  bench_header "jobstate bench: $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GB, $(uname -sr); PostgreSQL $("$PG_BIN_DIR/postgres" --version | awk '{ print $3 }') durable (fsync, synchronous_commit on); $BENCH_MODE"
  for locking in cas pessimistic; do
    export JOBSTATE_LOCKING=$locking
    liberty_start
    grep -q "locking path $locking" "$WLP/usr/servers/$SERVER/logs/messages.log" \
      || die "Liberty does not report the $locking locking path in its log"
    bench_warm_up
    for workload in uniform hot; do
      for clients in $BENCH_CLIENTS; do
        # the floor first, then the service's SQL, then HTTP: "vs pg" stays the cell just before
        if [ "$workload" = uniform ]; then
          bench_cell pgbench-lean uniform "$clients"
          lean_goodput[$clients]=$CELL_GOODPUT
          lean_pg_summary+="${lean_pg_summary:+; }$locking $clients: lean $CELL_PG_MS"
          work_summary+="${work_summary:+; }$locking $clients: lean $CELL_WORK"
        fi
        bench_cell pgbench "$workload" "$clients"
        local reference=$CELL_GOODPUT
        [ "$workload" = hot ] || lean_pg_summary+=", service's SQL $CELL_PG_MS"
        [ "$workload" = hot ] || work_summary+=", service's SQL $CELL_WORK"
        bench_cell "http-$locking" "$workload" "$clients" "" "$reference" "" "${lean_goodput[$clients]}"
        lean_summary+="${lean_summary:+, }$locking $workload $clients: $CELL_LEAN_RATIO"
        # the target of performance round 2 (docs/benchmarks.md): the default path, every request legal, 32 clients
        [ "$locking/$workload/$clients" != cas/uniform/32 ] || lean_summary+=" (target >= 45%)"
        if [ "$locking" = cas ] && [ "$workload" = uniform ] && [ "$clients" = "$max_clients" ]; then
          BENCH_UNTRACED_JVM_MS=$CELL_JVM_MS
          BENCH_PG_UNIFORM=$reference
        fi
        if [ "$locking" = cas ] && [ "$workload" = uniform ] && [ "$clients" = "$max_clients" ]; then
          local numbered=$CELL_GOODPUT pending caught_up
          bench_defer_numbering
          bench_cell http-cas-deferred uniform "$clients" "" "$reference" "" "${lean_goodput[$clients]}"
          # proof that numbering was deferred: the cell's events wait for it
          pending=$(db_sql "SELECT count(*) FROM event_outbox")
          [ "$pending" -gt 0 ] || BENCH_SUSPECT="$BENCH_SUSPECT http-cas-deferred(numbering was not deferred)"
          bench_release_numbering
          caught_up=$(bench_wait_numbered)
          summary+="numbering on vs deferred: $(percent_of "$numbered" "$CELL_GOODPUT")"
          summary+=" (cas, uniform, $clients clients: $numbered vs $CELL_GOODPUT good/s; released, the publisher"
          summary+=" numbered the $pending events left waiting in $caught_up s)"$'\n'
        fi
      done
    done
    if [ "$locking" = cas ]; then
      bench_reads "$max_clients"
      summary+=$BENCH_READ_SUMMARY
      bench_claims
      summary+=$BENCH_CLAIM_SUMMARY
    fi
    stop_liberty || die "Liberty did not stop"
  done
  bench_traced "$max_clients"
  summary+=$BENCH_TRACED_SUMMARY
  summary+="HTTP transitions vs the lean transition (pgbench, same run): $lean_summary"$'\n'
  summary+="pg ms per transaction (pgbench, uniform): $lean_pg_summary"$'\n'
  summary+="PostgreSQL work per transaction (pgbench, uniform): $work_summary"$'\n'
  bench_plot
  printf '%s' "$summary" | tee -a "$BENCH_OUT/results.txt"
  say "table: $BENCH_OUT/results.txt, CSV: $BENCH_OUT/results.csv, plot: $BENCH_OUT/goodput.png"
  [ -z "$BENCH_SUSPECT" ] || die "the figures are suspect:$BENCH_SUSPECT"
}

# The tracing cell: the cas path's uniform cell at $1 clients again, with tracing on (every request
# sampled, the SDK's default batch exporter) exporting over OTLP/HTTP to a sink in a process of its own
# (scripts/bench/OtlpSink.java), after a warm-up of its own; compared with the same cell untraced.
bench_traced() {
  local clients=$1 reference exported
  bench_sink_start
  export JOBSTATE_LOCKING=cas OTEL_SDK_DISABLED=false OTEL_SERVICE_NAME=jobstate-bench \
    OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$BENCH_SINK_PORT" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf \
    OTEL_METRICS_EXPORTER=none OTEL_LOGS_EXPORTER=none
  liberty_start
  bench_warm_up
  bench_cell pgbench uniform "$clients"
  reference=$CELL_GOODPUT
  bench_cell http-cas-traced uniform "$clients" "" "$reference"
  stop_liberty || die "Liberty did not stop"
  unset OTEL_SDK_DISABLED OTEL_SERVICE_NAME OTEL_EXPORTER_OTLP_ENDPOINT OTEL_EXPORTER_OTLP_PROTOCOL \
    OTEL_METRICS_EXPORTER OTEL_LOGS_EXPORTER
  # proof that the spans were exported: the sink counted trace exports
  exported=$(curl -s --max-time 5 "http://127.0.0.1:$BENCH_SINK_PORT/count" | awk '{ print $1 }')
  [ "${exported:-0}" -gt 0 ] || BENCH_SUSPECT="$BENCH_SUSPECT http-cas-traced(no span reached the sink)"
  bench_sink_stop
  BENCH_TRACED_SUMMARY="tracing on vs off: JVM CPU per transition $CELL_JVM_MS vs $BENCH_UNTRACED_JVM_MS ms"
  BENCH_TRACED_SUMMARY+=" (cas, uniform, $clients clients, every request sampled and exported over OTLP/HTTP;"
  BENCH_TRACED_SUMMARY+=" $exported exports)"$'\n'
}

bench_sink_start() {
  local port_file="$BENCH_OUT/otlp-sink.port" waited=0
  rm -f "$port_file"
  "$JAVA_HOME/bin/java" -Xmx128m "$ROOT/scripts/bench/OtlpSink.java" "$port_file" </dev/null >/dev/null 2>&1 &
  BENCH_SINK_PID=$!
  until [ -s "$port_file" ]; do
    kill -0 "$BENCH_SINK_PID" 2>/dev/null || die "the OTLP sink did not start"
    [ "$waited" -lt 300 ] || die "the OTLP sink did not start within 30 s"
    sleep 0.1
    waited=$((waited + 1))
  done
  BENCH_SINK_PORT=$(cat "$port_file")
}

bench_sink_stop() {
  [ -n "${BENCH_SINK_PID:-}" ] || return 0
  kill "$BENCH_SINK_PID" 2>/dev/null || true
  wait "$BENCH_SINK_PID" 2>/dev/null || true
  BENCH_SINK_PID=""
  return 0
}

# The read cells at $1 clients: /health/live, then each authenticated read after pgbench running its statement.
bench_reads() {
  local clients=$1 live get_pg get_http list_pg list_http
  bench_fresh_jobs "$READ_JOBS"
  READ_BASE=$CELL_BASE
  bench_read_scripts
  bench_cell http-cas live "$clients" "$READ_BASE"
  live=$CELL_GOODPUT
  bench_cell pgbench get-job "$clients" "$READ_BASE"
  get_pg=$CELL_GOODPUT
  bench_cell http-cas get-job "$clients" "$READ_BASE" "$get_pg" "$live"
  get_http=$CELL_GOODPUT
  bench_cell pgbench list-jobs "$clients" "$READ_BASE"
  list_pg=$CELL_GOODPUT
  bench_cell http-cas list-jobs "$clients" "$READ_BASE" "$list_pg" "$live"
  list_http=$CELL_GOODPUT
  BENCH_READ_SUMMARY="authenticated GET /api/jobs/{id}: $(percent_of "$get_http" "$live") of GET /health/live,"
  BENCH_READ_SUMMARY+=" $(percent_of "$get_http" "$get_pg") of pgbench running its SELECT"$'\n'
  BENCH_READ_SUMMARY+="authenticated GET /api/jobs?limit=50: $(percent_of "$list_http" "$live") of GET /health/live,"
  BENCH_READ_SUMMARY+=" $(percent_of "$list_http" "$list_pg") of pgbench running its SELECT"$'\n'
}

# ./jobstate bench events: thousands of streams on one instance, commit -> SSE delivery at half the
# measured maximum throughput. Finds the maximum (cas, uniform, 32 connections), then opens the streams
# (scripts/bench/SseSubscribers.java: half on every job's events, half each on one of the paced cell's
# jobs), takes the heap they use (live objects after a full GC, jcmd GC.class_histogram, before and after
# opening them), paces wrk to about half the maximum for a warm-up cell (its streams checked, its latencies
# not kept), then for the measured cell on fresh jobs, and has every stream checked against the feed and
# timed from each event's database time to its arrival. A third paced cell, on fresh jobs (the one-job
# streams move to them each time), runs with STALLED more streams that stop reading. Fails when a stream missed,
# repeated or reordered an event, or a cell saw an answer other than 200/409.
cmd_bench_events() {
  bench_require
  bench_start
  export JOBSTATE_LOCKING=cas
  # The stream limit only gates admission; the bench moves its one-job streams to fresh jobs while the
  # server may still count the ones they leave (they move twice), and adds the stalled ones: room for all of them.
  export JOBSTATE_EVENTS_MAX_SUBSCRIBERS=${JOBSTATE_EVENTS_MAX_SUBSCRIBERS:-$((ALL_STREAMS + 3 * JOB_STREAMS + STALLED_STREAMS))}
  liberty_start
  bench_warm_up
  bench_fresh_jobs "$UNIFORM_JOBS"
  bench_settle
  local max_line max_rate
  max_line=$(run_wrk uniform 32 "$CELL_BASE" "$UNIFORM_JOBS")
  bench_check_events_cell max "$max_line"
  max_rate=$(wrk_rate "$max_line")
  # 16 connections, each pausing so that together they ask about half the maximum; but at most a
  # quarter of the cell, so that every connection sends some requests even at a smoke's low rates
  local connections=16 pause
  pause=$(awk -v m="$max_rate" -v c=$connections -v s="$BENCH_SECONDS" 'BEGIN {
    p = (m > 0 ? c * 1000 / (m / 2) : s * 250); if (p > s * 250) p = s * 250; printf "%d", (p < 1 ? 1 : p) }')

  bench_fresh_jobs "$EVENT_JOBS"
  local jobs_base=$CELL_BASE heap_before heap_after opened
  bench_settle
  heap_before=$(live_heap_bytes)
  bench_subscribers_start "$ALL_STREAMS" "$jobs_base" "$JOB_STREAMS"
  opened=$SUBSCRIBERS_OPENED
  heap_after=$(live_heap_bytes)
  local streams=$((ALL_STREAMS + JOB_STREAMS)) per_thousand
  per_thousand=$(awk -v a="$heap_before" -v b="$heap_after" -v n="$streams" 'BEGIN { printf "%.1f", (b - a) / 1048576 / n * 1000 }')

  # The fan-out's first batches run before the JIT compiled that path (in seven runs the first cell's p99 was
  # 388-1,595 ms, the next one's 102-245 ms): a paced cell whose latencies are not kept, though its streams
  # are checked.
  local warm
  events_cell "$jobs_base" "$pause" $connections
  bench_check_events_cell warm-up "$EVENTS_LINE"
  warm=$(bench_subscribers_check warm-up)
  local warm_rate=$EVENTS_RATE paced_rate stalled_rate

  # the measured cell, on fresh jobs (the one-job streams move to them)
  local paced_line quiet stalled_line stalled ended_before ended_after paced_inside
  events_fresh_jobs
  events_cell "$CELL_BASE" "$pause" $connections
  paced_line=$EVENTS_LINE paced_rate=$EVENTS_RATE paced_inside=$EVENTS_INSIDE
  bench_check_events_cell paced "$paced_line"
  quiet=$(bench_subscribers_check paced)

  # the same again with STALLED streams that stop reading, on fresh jobs (the one-job streams follow them)
  events_fresh_jobs
  ended_before=$(stream_ends stopped_reading)
  bench_subscribers_say "STALL $STALLED_STREAMS" '^STALLED '
  events_cell "$CELL_BASE" "$pause" $connections
  stalled_line=$EVENTS_LINE stalled_rate=$EVENTS_RATE
  bench_check_events_cell "paced+stalled" "$stalled_line"
  stalled=$(bench_subscribers_check stalled)
  ended_after=$(stream_ends stopped_reading)
  bench_subscribers_stop

  local p99_quiet p99_stalled
  p99_quiet=$(result_field p99_ms "$quiet")
  p99_stalled=$(result_field p99_ms "$stalled")
  {
    echo "jobstate bench events: $(nproc) cores; cas; $BENCH_MODE; max $max_rate transitions/s (uniform, 32 connections)"
    echo "streams: $ALL_STREAMS on every job + $JOB_STREAMS on one job each (the paced cell's jobs), opened in $opened s;"
    echo "  heap $(awk -v b="$heap_before" 'BEGIN { printf "%.0f", b / 1048576 }') -> $(awk -v b="$heap_after" 'BEGIN { printf "%.0f", b / 1048576 }') MB live: $per_thousand MB per 1,000 streams (jcmd GC.class_histogram after a full GC, before and after opening)"
    echo "warm-up cell (latencies not kept): $warm_rate transitions/s; p99_ms=$(result_field p99_ms "$warm"); exact feed: $([ "$(result_field violations "$warm")" = 0 ] && echo yes || echo NO)"
    echo "paced: $paced_rate transitions/s ($(percent_of "$paced_rate" "$max_rate") of max; $connections connections, ${pause} ms pause; statuses $(awk '{ print $7 }' <<<"$paced_line"))"
    echo "commit -> SSE delivery, $streams streams: $(result_summary "$quiet")"
    echo "  $paced_inside"
    echo "with $STALLED_STREAMS more streams that stop reading: $stalled_rate transitions/s; $(result_summary "$stalled")"
    echo "  p99 $p99_quiet -> $p99_stalled ms ($(awk -v a="$p99_quiet" -v b="$p99_stalled" 'BEGIN { printf "%+.0f%%", (a > 0 ? 100 * (b - a) / a : 0) }')); streams the server ended for not reading: $((ended_after - ended_before)) of $STALLED_STREAMS"
  } | tee "$BENCH_OUT/events.txt"
  for line in "$warm" "$quiet" "$stalled"; do
    [ "$(result_field violations "$line")" = 0 ] || BENCH_SUSPECT="$BENCH_SUSPECT streams($(result_field name "$line"): $(result_field violations "$line") violations)"
    [ "$(result_field deliveries "$line")" -gt 0 ] || BENCH_SUSPECT="$BENCH_SUSPECT streams($(result_field name "$line"): no deliveries)"
  done
  [ -z "$BENCH_SUSPECT" ] || die "the figures are suspect:$BENCH_SUSPECT"
}

# Live heap of the Liberty JVM in bytes: the total of a class histogram, which first runs a full GC.
live_heap_bytes() {
  "$JAVA_HOME/bin/jcmd" "$LIBERTY_PID" GC.class_histogram 2>/dev/null | awk '/^Total/ { print $3 }' | grep . \
    || die "jcmd could not take a class histogram of Liberty ($LIBERTY_PID)"
}

# Fresh jobs for the next paced cell (from CELL_BASE), with the one-job streams moved to them.
events_fresh_jobs() {
  bench_fresh_jobs "$EVENT_JOBS"
  bench_settle
  bench_subscribers_say "JOBS $CELL_BASE $JOB_STREAMS" '^JOBS '
}

# Transitions a second of one of run_wrk's lines (its first fields: requests, then seconds).
wrk_rate() {
  awk '{ printf "%.0f", $1 / $2 }' <<<"$1"
}

# One paced cell of the events benchmark on the jobs numbered from $1 ($3 connections, each pausing $2 ms).
# Sets EVENTS_LINE (wrk's line), EVENTS_RATE (transitions/s) and EVENTS_INSIDE: the server's own part of the
# delivery (its jobstate_event_delivery_lag timer, commit -> hand-over to the streams, before any write),
# and the CPU each process used, in cores, over the cell (the subscribers share the machine).
events_cell() {
  local liberty_before pg_before subscribers_before lag_before wall_before
  local liberty_after pg_after subscribers_after lag_after wall
  liberty_before=$(cpu_ticks "$LIBERTY_PID")
  pg_before=$(pg_cpu_ticks "$PGDATA_DIR")
  subscribers_before=$(cpu_ticks "$SUBSCRIBER")
  lag_before=$(delivery_lag_totals)
  wall_before=$(date +%s%N)
  EVENTS_LINE=$(JOBSTATE_BENCH_PAUSE_MS=$2 run_wrk uniform "$3" "$1" "$EVENT_JOBS")
  wall=$(( $(date +%s%N) - wall_before ))
  liberty_after=$(cpu_ticks "$LIBERTY_PID")
  pg_after=$(pg_cpu_ticks "$PGDATA_DIR")
  subscribers_after=$(cpu_ticks "$SUBSCRIBER")
  # the cell's last events: numbered, then handed over (the timer counts them at the hand-over)
  bench_wait_numbered >/dev/null
  lag_after=$(delivery_lag_totals)
  EVENTS_RATE=$(wrk_rate "$EVENTS_LINE")
  EVENTS_INSIDE="inside the server, commit -> hand-over to the streams: mean $(awk -v b="$lag_before" -v a="$lag_after" 'BEGIN {
      split(b, x, " "); split(a, y, " "); n = y[2] - x[2]; printf "%.1f", (n > 0 ? (y[1] - x[1]) * 1000 / n : 0) }') ms;"
  EVENTS_INSIDE+=" CPU over the cell, in cores of $(nproc): Liberty $(cores_of $((liberty_after - liberty_before)) "$wall"),"
  EVENTS_INSIDE+=" PostgreSQL $(cores_of $((pg_after - pg_before)) "$wall"),"
  EVENTS_INSIDE+=" subscribers $(cores_of $((subscribers_after - subscribers_before)) "$wall")"
}

# "seconds count" of the server's commit -> hand-over timer; the run stops when the server does not show it
delivery_lag_totals() {
  curl -fsS -m 10 "http://127.0.0.1:$HTTP_PORT/metrics" 2>/dev/null | awk '
    /^jobstate_event_delivery_lag_seconds_sum/ { sum = $NF; found++ } /^jobstate_event_delivery_lag_seconds_count/ { count = $NF; found++ }
    END { if (found == 2) printf "%s %s", sum, count }' | grep . \
    || die "the server's /metrics shows no single jobstate_event_delivery_lag_seconds timer"
}

# cores busy on average: $1 clock ticks over $2 nanoseconds of wall time
cores_of() {
  awk -v t="$1" -v hz="$CLK_TCK" -v ns="$2" 'BEGIN { printf "%.2f", (ns > 0 ? t / hz / (ns / 1e9) : 0) }'
}

# jobstate_event_streams_ended_total{reason=$1} of the server
stream_ends() {
  curl -fsS -m 10 "http://127.0.0.1:$HTTP_PORT/metrics" 2>/dev/null \
    | awk -v r="reason=\"$1\"" '/^jobstate_event_streams_ended_total/ && index($0, r) { printf "%d", $NF; found = 1 } END { if (!found) print 0 }'
}

# Starts the subscriber program after the feed's end: $1 all-jobs streams, $3 one-job streams on the jobs
# numbered from $2; returns once every stream is open (SUBSCRIBERS_OPENED: seconds it took).
bench_subscribers_start() {
  local head fifo="$BENCH_OUT/subscribers.in" deadline=$((SECONDS + 300))
  head=$(db_sql "SELECT last_seq FROM event_feed")
  rm -f "$fifo" && mkfifo "$fifo"
  JOBSTATE_BENCH_TOKEN=$BENCH_TOKEN "$JAVA_HOME/bin/java" -Xmx1g "$ROOT/scripts/bench/SseSubscribers.java" \
    "http://127.0.0.1:$HTTP_PORT" "$head" "$1" "$2" "$3" < "$fifo" > "$BENCH_OUT/subscribers.out" 2> "$BENCH_OUT/subscribers.err" &
  SUBSCRIBER=$!
  exec {SUBSCRIBER_FD}>"$fifo"
  # both ends are open now (opening the writing end waits for the reader): the name can go, so that no FIFO
  # is left among the results (whatever opens one to read it, a copy of the folder, would wait for a writer)
  rm -f "$fifo"
  # the whole line: the program's output may be read while it is being written
  until grep -Eq '^READY .*seconds=[0-9]+\.[0-9]$' "$BENCH_OUT/subscribers.out" 2>/dev/null; do
    kill -0 "$SUBSCRIBER" 2>/dev/null || die "the subscribers failed: $(tail -n 20 "$BENCH_OUT/subscribers.err")"
    [ $SECONDS -lt $deadline ] || die "the subscribers did not open their streams within 300 s"
    sleep 0.2
  done
  SUBSCRIBERS_OPENED=$(sed -n 's/^READY .*seconds=\([0-9.]*\).*/\1/p' "$BENCH_OUT/subscribers.out")
}

# Sends the subscriber program a command ($1) and waits for the answer matching $2; prints the answer.
bench_subscribers_say() {
  local before deadline=$((SECONDS + 600))
  before=$(grep -c "$2" "$BENCH_OUT/subscribers.out" || true)
  echo "$1" >&"$SUBSCRIBER_FD"
  until [ "$(grep -c "$2" "$BENCH_OUT/subscribers.out" || true)" -gt "$before" ]; do
    kill -0 "$SUBSCRIBER" 2>/dev/null || die "the subscribers failed: $(tail -n 20 "$BENCH_OUT/subscribers.err")"
    [ $SECONDS -lt $deadline ] || die "the subscribers did not answer '$1' within 600 s"
    sleep 0.2
  done
  grep "$2" "$BENCH_OUT/subscribers.out" | tail -n 1
}

# Once every event is published, has the streams checked against the feed; prints their RESULT line.
bench_subscribers_check() {
  bench_wait_numbered >/dev/null
  bench_subscribers_say "CHECK $1 $(db_sql "SELECT last_seq FROM event_feed")" "^RESULT name=$1 "
}

bench_subscribers_stop() {
  [ -n "$SUBSCRIBER" ] || return 0
  echo QUIT >&"$SUBSCRIBER_FD" 2>/dev/null
  exec {SUBSCRIBER_FD}>&-
  local waited=0
  while kill -0 "$SUBSCRIBER" 2>/dev/null && [ $waited -lt 50 ]; do sleep 0.1; waited=$((waited + 1)); done
  kill "$SUBSCRIBER" 2>/dev/null || true
  SUBSCRIBER=""
}

# field=value of a RESULT line
result_field() {
  tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"
}

result_summary() {
  echo "events=$(result_field events "$1") deliveries=$(result_field deliveries "$1") p50_ms=$(result_field p50_ms "$1")" \
    "p99_ms=$(result_field p99_ms "$1") max_ms=$(result_field max_ms "$1") (every-job streams p99 $(result_field all_p99_ms "$1")," \
    "one-job streams p99 $(result_field job_p99_ms "$1")); exact feed: $([ "$(result_field violations "$1")" = 0 ] && echo yes || echo "NO ($(result_field violations "$1") violations)")," \
    "resumed streams: $(result_field reconnects "$1")"
}

# a wrk line of the events benchmark: only 200/409, some 200s, every figure there
bench_check_events_cell() {
  local requests seconds p50 p99 p999 ok statuses
  read -r requests seconds p50 p99 p999 ok statuses <<<"$2"
  [[ "$requests$seconds$p50$p99$p999$ok" =~ ^[0-9.]+$ ]] || die "unreadable measurement: $2"
  bench_check_cell "events/$1" "$statuses" "$ok"
}
