# ./jobstate bench — sourced by ./jobstate (it uses the launcher's functions and variables).
# One run on one machine: PostgreSQL as ./jobstate start makes it (durable: fsync and
# synchronous_commit on), then per locking path (cas, then pessimistic) Liberty is started and, for
# each workload (uniform: 10,000 jobs; hot: 4 jobs) and concurrency (8, 32), pgbench runs the
# service's own SQL transaction and wrk drives the HTTP API with the same choice of jobs and
# targets; each HTTP cell is compared with the pgbench cell measured just before it. Writes a
# table, a CSV and a PNG plot to target/jobstate/bench.
# Tunables: JOBSTATE_BENCH_SECONDS (per cell, 20), JOBSTATE_BENCH_WARMUP (per path, 45),
# JOBSTATE_BENCH_CLIENTS ("8 32"), JOBSTATE_BENCH_TOKEN (else a development token).

# a failure inside $(…) must stop the run, not leave empty fields in the table
shopt -s inherit_errexit

BENCH_SECONDS=${JOBSTATE_BENCH_SECONDS:-20}
BENCH_WARMUP=${JOBSTATE_BENCH_WARMUP:-45}
BENCH_CLIENTS=${JOBSTATE_BENCH_CLIENTS:-"8 32"}
BENCH_OUT="$STATE/bench"
UNIFORM_JOBS=10000
HOT_JOBS=4

bench_require() {
  command -v wrk >/dev/null || die "wrk is needed (Debian/Ubuntu: apt-get install wrk)"
  command -v gnuplot >/dev/null || die "gnuplot is needed for the plot (Debian/Ubuntu: apt-get install gnuplot-nox)"
  [ -x "$(pg_bin)/pgbench" ] || die "pgbench is needed next to the PostgreSQL server binaries"
}

bench_sql() {
  as_owner "$(pg_bin)/psql" -h 127.0.0.1 -p "$(cat "$PG_PORT_FILE")" -U postgres -Atq -v ON_ERROR_STOP=1 -c "$1" jobstate
}

# fresh PENDING jobs numbered base .. base+count-1, their ids computed from the number (as the pgbench and wrk scripts do)
bench_jobs() {
  bench_sql "INSERT INTO jobs (id, type, status, version, attempt, progress, created_at, updated_at)
    SELECT CAST(lpad(to_hex(n), 32, '0') AS uuid), '$1', 'PENDING', 0, 1, 0, now(), now()
    FROM generate_series(CAST($2 AS bigint), CAST($2 + $3 - 1 AS bigint)) AS n" >/dev/null
}

bench_applied() {
  bench_sql "SELECT count(*) FROM job_history h JOIN jobs j ON j.id = h.job_id WHERE j.type = '$1'"
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
  bench_sql "CHECKPOINT" >/dev/null
  bench_sql "VACUUM ANALYZE jobs, job_history, job_events" >/dev/null
}

# one pgbench cell: prints "requests seconds p50 p99 p999 statuses"; latencies from a 20% sample of
# the per-transaction log (logging every transaction would cost the pgbench side client I/O)
run_pgbench() {
  local workload=$1 clients=$2 base=$3 jobs=$4 dir="$BENCH_OUT/pgbench-log" out
  rm -rf "$dir" && mkdir -p "$dir"
  out=$(cd "$dir" && "$(pg_bin)/pgbench" -h 127.0.0.1 -p "$(cat "$PG_PORT_FILE")" -U postgres -n -M prepared \
    -c "$clients" -j 2 -T "$BENCH_SECONDS" -D base="$base" -D k=0 -D clients="$clients" \
    -D per=$(( jobs / clients > 0 ? jobs / clients : 1 )) -f "$BENCH_OUT/scripts/transition-$workload.sql" \
    -l --sampling-rate=0.2 --log-prefix="$dir/log" jobstate 2>&1) || { echo "$out" >&2; die "pgbench failed"; }
  local tps failed
  # pgbench's own rate over its measured time, like wrk's
  tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p')
  failed=$(echo "$out" | sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p')
  [ -n "$tps" ] || { echo "$out" >&2; die "pgbench printed no rate"; }
  echo "$(awk -v t="$tps" -v s="$BENCH_SECONDS" 'BEGIN { printf "%.0f", t * s }') $BENCH_SECONDS" \
    "$(cat "$dir"/log* | awk '$3 != "failed" { print $3 }' | percentiles)failed:${failed:-0}"
}

# one wrk cell: prints "requests seconds p50 p99 p999 statuses"
run_wrk() {
  local workload=$1 clients=$2 base=$3 jobs=$4 line
  line=$(wrk -t2 -c"$clients" -d"${BENCH_SECONDS}s" -s "$ROOT/scripts/bench/transition.lua" \
    "http://127.0.0.1:$HTTP_PORT" -- "$workload" "$base" "$jobs" "$BENCH_TOKEN" 2 | grep '^RESULT') \
    || die "wrk printed no result"
  local field; field() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
  local statuses; statuses=$(field statuses)
  [ "$(field socket_errors)" = 0 ] || statuses="$statuses,socket:$(field socket_errors)"
  echo "$(field requests) $(field seconds) $(field p50_ms) $(field p99_ms) $(field p999_ms) $statuses"
}

# fresh jobs for a cell: sets CELL_TYPE and CELL_BASE
bench_fresh_jobs() {
  BENCH_CELL=$((BENCH_CELL + 1))
  CELL_BASE=$(( BENCH_RUN * 1000000 + BENCH_CELL * 20000 ))
  CELL_TYPE="bench-$BENCH_RUN-$BENCH_CELL"
  bench_jobs "$CELL_TYPE" "$CELL_BASE" "$1"
}

# measures one cell, prints its row and appends it to the CSV; $4 is the pgbench goodput it is compared with
bench_cell() {
  local runner=$1 workload=$2 clients=$3 reference=$4 jobs result applied
  jobs=$([ "$workload" = hot ] && echo $HOT_JOBS || echo $UNIFORM_JOBS)
  bench_fresh_jobs "$jobs"
  bench_settle
  if [ "$runner" = pgbench ]; then result=$(run_pgbench "$workload" "$clients" "$CELL_BASE" "$jobs")
  else result=$(run_wrk "$workload" "$clients" "$CELL_BASE" "$jobs"); fi
  applied=$(bench_applied "$CELL_TYPE")
  read -r requests seconds p50 p99 p999 statuses <<<"$result"
  [[ "$requests$seconds$p50$p99$p999" =~ ^[0-9.]+$ ]] || die "unreadable measurement: $result"
  # anything but success and conflict (a failed pgbench transaction, a socket error, a 5xx …) makes the run suspect
  local item
  for item in ${statuses//,/ }; do
    case "$item" in 200:*|409:*|failed:0) ;; *) BENCH_SUSPECT="$BENCH_SUSPECT $runner/$workload/$clients($item)" ;; esac
  done
  local rate goodput ratio
  rate=$(awk -v r="$requests" -v s="$seconds" 'BEGIN { printf "%.0f", r / s }')
  goodput=$(awk -v a="$applied" -v s="$seconds" 'BEGIN { printf "%.0f", a / s }')
  ratio=$([ -n "$reference" ] && awk -v g="$goodput" -v r="$reference" 'BEGIN { printf "%.0f%%", 100 * g / r }' || echo "")
  echo "$workload,$clients,$runner,$rate,$goodput,$p50,$p99,$p999,${statuses//,/ },$ratio" >> "$BENCH_OUT/results.csv"
  printf '%-8s %7s %-17s %9s %9s %8s %8s %8s  %-24s %s\n' "$workload" "$clients" "$runner" "$rate" "$goodput" \
    "$p50" "$p99" "$p999" "${statuses//,/ }" "$ratio" | tee -a "$BENCH_OUT/results.txt"
  # not in a pipe or subshell: the next cell compares itself with this one
  BENCH_LAST_GOODPUT=$goodput
}

bench_plot() {
  # goodput per cell: pgbench (cas pass), http cas, http pessimistic
  awk -F, 'NR > 1 { key = $1 "/" $2; if (!(key in seen)) { seen[key] = 1; order[++n] = key }
                    if ($3 == "pgbench" && !(key in pg)) pg[key] = $5
                    if ($3 == "http-cas") cas[key] = $5
                    if ($3 == "http-pessimistic") pes[key] = $5 }
           END { for (i = 1; i <= n; i++) print order[i], pg[order[i]], cas[order[i]], pes[order[i]] }' \
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
plot "$BENCH_OUT/goodput.dat" using 2:xtic(1) title "pgbench (same SQL)", '' using 3 title "HTTP cas", '' using 4 title "HTTP pessimistic"
GNUPLOT
}

cmd_bench() {
  bench_require
  [ -z "${JOBSTATE_DB_URL:-}" ] || die "the benchmark runs on the private PostgreSQL: unset JOBSTATE_DB_URL"
  server_running && die "already running (./jobstate stop first)"
  build
  say "writing the pgbench scripts (the service's own statement) …"
  (cd "$ROOT" && ./mvnw -B -q -pl job-persistence -Pbenchmark test-compile exec:java@pgbench-scripts \
    -Dbench.out="$BENCH_OUT/scripts") >> "$STATE/build.log" 2>&1 || die "could not write the pgbench scripts (see $STATE/build.log)"
  # stop what this run starts, also when it fails half-way; a PostgreSQL that was running before stays
  local pg_was_running=false
  [ -f "$PGDATA_DIR/PG_VERSION" ] && as_owner "$(pg_bin)/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1 && pg_was_running=true
  trap "trap '' INT TERM HUP; set +e; say 'stopping …'; \"\$WLP/bin/server\" stop \"\$SERVER\" >/dev/null 2>&1; \
    $pg_was_running || stop_postgres" EXIT
  trap 'exit 130' INT TERM
  start_postgres
  liberty_env
  BENCH_TOKEN=${JOBSTATE_BENCH_TOKEN:-$(cmd_token coordinator)}
  mkdir -p "$BENCH_OUT"
  BENCH_RUN=$(( $(date +%s) % 100000000 ))
  BENCH_CELL=0
  BENCH_SUSPECT=""
  echo "workload,clients,runner,requests_per_s,goodput_per_s,p50_ms,p99_ms,p999_ms,statuses,goodput_vs_pgbench" > "$BENCH_OUT/results.csv"
  {
    echo "jobstate bench: $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GB, $(uname -sr); PostgreSQL $("$(pg_bin)/postgres" --version | awk '{ print $3 }') durable (fsync, synchronous_commit on); ${BENCH_SECONDS}s per cell"
    printf '%-8s %7s %-17s %9s %9s %8s %8s %8s  %-24s %s\n' workload clients runner "req/s" "good/s" "p50 ms" "p99 ms" "p99.9 ms" statuses "vs pgbench"
  } | tee "$BENCH_OUT/results.txt"
  local locking workload clients
  for locking in cas pessimistic; do
    export JOBSTATE_LOCKING=$locking
    "$WLP/bin/server" start "$SERVER" >/dev/null || die "Liberty did not start"
    wait_ready || die "Liberty not ready"
    grep -q "locking path $locking" "$WLP/usr/servers/$SERVER/logs/messages.log" \
      || die "Liberty does not report the $locking locking path in its log"
    # warm-up: the JIT compiles the request path before anything is measured
    bench_fresh_jobs $UNIFORM_JOBS
    BENCH_SECONDS=$BENCH_WARMUP run_wrk uniform 32 "$CELL_BASE" $UNIFORM_JOBS >/dev/null
    for workload in uniform hot; do
      for clients in $BENCH_CLIENTS; do
        bench_cell pgbench "$workload" "$clients" ""
        bench_cell "http-$locking" "$workload" "$clients" "$BENCH_LAST_GOODPUT"
      done
    done
    "$WLP/bin/server" stop "$SERVER" >/dev/null
  done
  bench_plot
  say "table: $BENCH_OUT/results.txt, CSV: $BENCH_OUT/results.csv, plot: $BENCH_OUT/goodput.png"
  [ -z "$BENCH_SUSPECT" ] || die "answers other than 200/409 (or pgbench failures) in:$BENCH_SUSPECT — the figures are suspect"
}

# ./jobstate bench events: commit -> SSE delivery latency at half the measured maximum throughput.
# Finds the maximum (cas, uniform, 32 connections), then paces wrk to about half of it while a
# subscriber follows /api/events/stream and times every event from its database time to its arrival.
cmd_bench_events() {
  bench_require
  command -v python3 >/dev/null || die "python3 is needed for the subscriber"
  [ -z "${JOBSTATE_DB_URL:-}" ] || die "the benchmark runs on the private PostgreSQL: unset JOBSTATE_DB_URL"
  server_running && die "already running (./jobstate stop first)"
  build
  local pg_was_running=false
  [ -f "$PGDATA_DIR/PG_VERSION" ] && as_owner "$(pg_bin)/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1 && pg_was_running=true
  trap "trap '' INT TERM HUP; set +e; say 'stopping …'; [ -n \"\${SUBSCRIBER:-}\" ] && kill \"\$SUBSCRIBER\" 2>/dev/null; \
    \"\$WLP/bin/server\" stop \"\$SERVER\" >/dev/null 2>&1; $pg_was_running || stop_postgres" EXIT
  trap 'exit 130' INT TERM
  start_postgres
  liberty_env
  export JOBSTATE_LOCKING=cas
  BENCH_TOKEN=${JOBSTATE_BENCH_TOKEN:-$(cmd_token coordinator)}
  mkdir -p "$BENCH_OUT"
  BENCH_RUN=$(( $(date +%s) % 100000000 ))
  BENCH_CELL=0
  "$WLP/bin/server" start "$SERVER" >/dev/null || die "Liberty did not start"
  wait_ready || die "Liberty not ready"
  bench_fresh_jobs $UNIFORM_JOBS
  BENCH_SECONDS=$BENCH_WARMUP run_wrk uniform 32 "$CELL_BASE" $UNIFORM_JOBS >/dev/null
  bench_fresh_jobs $UNIFORM_JOBS
  bench_settle
  local max_line max_rate
  max_line=$(run_wrk uniform 32 "$CELL_BASE" $UNIFORM_JOBS)
  max_rate=$(awk '{ printf "%.0f", $1 / $2 }' <<<"$max_line")
  # 16 connections, each pausing so that together they ask about half the maximum
  local connections=16 pause paced_line paced_rate head result
  pause=$(awk -v m="$max_rate" -v c=$connections 'BEGIN { p = c * 1000 / (m / 2); printf "%d", (p < 1 ? 1 : p) }')
  bench_fresh_jobs $UNIFORM_JOBS
  bench_settle
  head=$(bench_sql "SELECT last_seq FROM event_feed")
  python3 "$ROOT/scripts/bench/sse_latency.py" 127.0.0.1 "$HTTP_PORT" "$head" "$BENCH_TOKEN" "$((BENCH_SECONDS + 5))" \
    > "$BENCH_OUT/subscriber.out" 2>&1 &
  SUBSCRIBER=$!
  until grep -q READY "$BENCH_OUT/subscriber.out" 2>/dev/null; do
    kill -0 "$SUBSCRIBER" 2>/dev/null || die "the subscriber failed: $(cat "$BENCH_OUT/subscriber.out")"
    sleep 0.2
  done
  paced_line=$(JOBSTATE_BENCH_PAUSE_MS=$pause run_wrk uniform $connections "$CELL_BASE" $UNIFORM_JOBS)
  paced_rate=$(awk '{ printf "%.0f", $1 / $2 }' <<<"$paced_line")
  wait "$SUBSCRIBER" || die "the subscriber failed: $(cat "$BENCH_OUT/subscriber.out")"
  SUBSCRIBER=""
  result=$(grep '^RESULT' "$BENCH_OUT/subscriber.out") || die "the subscriber printed no result"
  {
    echo "jobstate bench events: $(nproc) cores; cas; max $max_rate transitions/s (uniform, 32 connections; ${BENCH_SECONDS}s)"
    echo "paced: $paced_rate transitions/s ($(awk -v p="$paced_rate" -v m="$max_rate" 'BEGIN { printf "%.0f%%", 100 * p / m }') of max; $connections connections, ${pause} ms pause; statuses $(awk '{ print $6 }' <<<"$paced_line"))"
    echo "commit -> SSE delivery (one subscriber on /api/events/stream): ${result#RESULT }"
  } | tee "$BENCH_OUT/events.txt"
}
