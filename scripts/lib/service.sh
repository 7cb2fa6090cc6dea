# The service's processes for ./jobstate and scripts/bench.sh (both source this file; it defines
# functions and settings only and starts nothing): where things are, the private PostgreSQL, the
# Liberty server, development tokens.
#
# Settings (environment):
#   JOBSTATE_HTTP_PORT      Liberty's HTTP port (9080)
#   JOBSTATE_STATE          the launcher's state folder: private cluster, logs, bench output (target/jobstate)
#   JOBSTATE_WLP            the Liberty installation (job-rest/target/liberty/wlp, made by the build)
#   JOBSTATE_SERVER         the Liberty server in it (jobstate)
#   JOBSTATE_WAR            the application deployed to it (job-rest/target/jobstate.war)
#   JOBSTATE_PG_BIN         the folder of initdb, pg_ctl, postgres (else searched, see pg_bin)
#   JOBSTATE_READY_TIMEOUT  seconds Liberty may take to become ready (180)
#   JOBSTATE_NO_BUILD       1: run no Maven build, use the WAR and the server above as they are
#                           (the command-line switch --no-build sets it)

[ -z "${JOBSTATE_SERVICE_LIB:-}" ] || return 0
JOBSTATE_SERVICE_LIB=loaded

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
STATE=${JOBSTATE_STATE:-$ROOT/target/jobstate}    # kept between runs: the database survives restarts
PGDATA_DIR="$STATE/postgres"
PG_PORT_FILE="$STATE/postgres.port"
WLP=${JOBSTATE_WLP:-$ROOT/job-rest/target/liberty/wlp}
SERVER=${JOBSTATE_SERVER:-jobstate}
WAR=${JOBSTATE_WAR:-$ROOT/job-rest/target/jobstate.war}
HTTP_PORT=${JOBSTATE_HTTP_PORT:-9080}
READY_TIMEOUT=${JOBSTATE_READY_TIMEOUT:-180}

say() { echo "jobstate: $*" >&2; }
die() { say "$*"; exit 1; }

. "$ROOT/scripts/select-jdk.sh"

# --- building --------------------------------------------------------------------------------------

# Builds the WAR and the Liberty server (unless JOBSTATE_NO_BUILD=1), then deploys the WAR to it.
# The build also writes job-persistence's pgbench scripts (job-persistence/target/pgbench-scripts).
build() {
  if [ "${JOBSTATE_NO_BUILD:-}" = 1 ]; then
    [ -f "$WAR" ] || die "no build asked for, but there is no $WAR"
    [ -f "$WLP/usr/servers/$SERVER/server.xml" ] || die "no build asked for, but there is no server $WLP/usr/servers/$SERVER"
  else
    say "building (tests skipped; log in $STATE/build.log) …"
    mkdir -p "$STATE"
    (cd "$ROOT" && ./mvnw -B -DskipTests -pl job-rest -am install liberty:create) > "$STATE/build.log" 2>&1 \
      || { tail -n 40 "$STATE/build.log" >&2; die "build failed"; }
  fi
  mkdir -p "$WLP/usr/servers/$SERVER/apps" "$WLP/usr/servers/$SERVER/configDropins/overrides"
  cp "$WAR" "$WLP/usr/servers/$SERVER/apps/jobstate.war"
  cat > "$WLP/usr/servers/$SERVER/configDropins/overrides/launcher.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<server>
  <webApplication location="jobstate.war" contextRoot="/"/>
</server>
XML
}

# --- the private PostgreSQL ------------------------------------------------------------------------

pg_has_server_tools() { [ -x "$1/initdb" ] && [ -x "$1/pg_ctl" ] && [ -x "$1/postgres" ]; }

# The folder of the PostgreSQL server binaries. The same search, in the same order, as test-postgres's
# io.jobstate.testing.postgres.PostgresBinaries (keep the two alike): JOBSTATE_PG_BIN, else
# pg_config --bindir, else the newest (highest first number in the path) of the package locations
# below, else the first PATH entry holding initdb, pg_ctl and postgres.
# A command that calls it often sets PG_BIN_DIR=$(pg_bin) once.
pg_bin() {
  local dir best="" best_major=-1 major entries
  if [ -n "${PG_BIN_DIR:-}" ]; then echo "$PG_BIN_DIR"; return; fi
  if [ -n "${JOBSTATE_PG_BIN:-}" ]; then
    pg_has_server_tools "$JOBSTATE_PG_BIN" || die "JOBSTATE_PG_BIN=$JOBSTATE_PG_BIN holds no initdb, pg_ctl and postgres"
    echo "$JOBSTATE_PG_BIN"
    return
  fi
  if command -v pg_config >/dev/null 2>&1 && dir=$(pg_config --bindir 2>/dev/null) && pg_has_server_tools "$dir"; then
    echo "$dir"
    return
  fi
  for dir in /usr/lib/postgresql/*/bin /usr/pgsql-*/bin /usr/local/pgsql*/bin /usr/local/opt/postgresql*/bin \
             /opt/homebrew/opt/postgresql*/bin; do
    pg_has_server_tools "$dir" || continue
    major=0
    [[ $dir =~ ([0-9]+) ]] && major=${BASH_REMATCH[1]}
    if [ "$major" -gt "$best_major" ]; then best=$dir; best_major=$major; fi
  done
  if [ -n "$best" ]; then echo "$best"; return; fi
  IFS=: read -ra entries <<<"${PATH:-}"
  for dir in "${entries[@]}"; do
    if [ -n "$dir" ] && pg_has_server_tools "$dir"; then echo "$dir"; return; fi
  done
  die "no PostgreSQL server binaries found: install them (Debian/Ubuntu: apt-get install postgresql) or set JOBSTATE_PG_BIN, or set JOBSTATE_DB_URL"
}

# initdb and postgres refuse to run as root: the cluster belongs to an unprivileged user
pg_owner() {
  if [ "$(id -u)" -ne 0 ]; then id -un; elif id -u postgres >/dev/null 2>&1; then echo postgres; else echo nobody; fi
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$(pg_owner)" -- "$@"; else "$@"; fi
}

free_port() {
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

# Starts the private cluster on a free loopback port and prints the port. The search starts below
# the kernel's ephemeral range (32768-60999 on Linux): a port up there can be the local end of any
# outgoing connection (a JDBC pool's, wrk's), which the probe cannot see but the server's bind
# refuses. A port taken between probe and bind is retried on the next one.
start_postgres_on_free_port() {
  local bin=$1 owner=$2 port=25432 attempt
  touch "$STATE/postgres.log"
  [ "$(id -u)" -eq 0 ] && chown "$owner" "$STATE/postgres.log"
  for attempt in 1 2 3 4 5; do
    port=$(free_port "$port")
    if as_owner "$bin/pg_ctl" -D "$PGDATA_DIR" -l "$STATE/postgres.log" -w -t 60 \
         -o "-p $port -k '$PGDATA_DIR' -c listen_addresses=127.0.0.1" start >/dev/null; then
      echo "$port"
      return 0
    fi
    tail -n 20 "$STATE/postgres.log" >&2
    grep -q "Address already in use" <(tail -n 20 "$STATE/postgres.log") || return 1
    say "port $port was taken as PostgreSQL bound it (attempt $attempt); trying the next"
    port=$((port + 1))
  done
  return 1
}

pg_running() {
  [ -f "$PGDATA_DIR/PG_VERSION" ] && as_owner "$(pg_bin)/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1
}

# Runs SQL from $1 on the private cluster's database jobstate; the further arguments go to psql, e.g.
# -v name=value for the SQL's :'name' (a quoted literal) and :name (as it is). Values never go into
# the SQL text itself.
db_sql() {
  local sql=$1
  shift
  as_owner "$(pg_bin)/psql" -h 127.0.0.1 -p "$(cat "$PG_PORT_FILE")" -U postgres -X -Atq -v ON_ERROR_STOP=1 "$@" \
    -d jobstate <<<"$sql"
}

start_postgres() {
  if [ -n "${JOBSTATE_DB_URL:-}" ]; then return; fi
  local bin owner port
  bin=$(pg_bin)
  owner=$(pg_owner)
  mkdir -p "$STATE"
  if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
    say "creating the private PostgreSQL cluster in $PGDATA_DIR"
    mkdir -p "$PGDATA_DIR"
    [ "$(id -u)" -eq 0 ] && chown "$owner" "$PGDATA_DIR"
    chmod 700 "$PGDATA_DIR"
    as_owner "$bin/initdb" -D "$PGDATA_DIR" -U postgres -A trust -E UTF8 --no-locale >/dev/null \
      || die "initdb failed (as root, every folder above $PGDATA_DIR must be readable by '$owner')"
  fi
  if pg_running; then
    port=$(cat "$PG_PORT_FILE")
  else
    port=$(start_postgres_on_free_port "$bin" "$owner") || die "PostgreSQL did not start"
    echo "$port" > "$PG_PORT_FILE"
  fi
  if ! as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -X -Atq -d postgres \
       -c "SELECT 1 FROM pg_database WHERE datname = 'jobstate'" | grep -q 1; then
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres jobstate
  fi
  export JOBSTATE_DB_URL="jdbc:postgresql://127.0.0.1:$port/jobstate"
  export JOBSTATE_DB_USER=postgres JOBSTATE_DB_PASSWORD=
  say "PostgreSQL on 127.0.0.1:$port (data in $PGDATA_DIR)"
}

stop_postgres() {
  [ -f "$PGDATA_DIR/PG_VERSION" ] || return 0
  if pg_running; then
    as_owner "$(pg_bin)/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null && say "PostgreSQL stopped"
  fi
}

# --- Liberty ---------------------------------------------------------------------------------------

liberty_env() {
  export JOBSTATE_HTTP_PORT="$HTTP_PORT"
  # tokens: the issuer's key when configured, else the DEVELOPMENT-ONLY key (dev/jwt/README.md)
  if [ -z "${MP_JWT_VERIFY_PUBLICKEY_LOCATION:-}" ]; then
    export MP_JWT_VERIFY_PUBLICKEY_LOCATION="file://$ROOT/dev/jwt/dev-only-public-key.pem"
    export MP_JWT_VERIFY_ISSUER="${MP_JWT_VERIFY_ISSUER:-jobstate-dev}"
    say "accepting DEVELOPMENT tokens (./jobstate token); set MP_JWT_VERIFY_PUBLICKEY_LOCATION for real ones"
  fi
}

server_running() {
  [ -x "$WLP/bin/server" ] && "$WLP/bin/server" status "$SERVER" >/dev/null 2>&1
}

stop_liberty() {
  [ -x "$WLP/bin/server" ] && "$WLP/bin/server" stop "$SERVER" >/dev/null 2>&1
}

wait_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT))
  until curl -fsS -m 5 "http://localhost:$HTTP_PORT/health/ready" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      tail -n 40 "$WLP/usr/servers/$SERVER/logs/messages.log" >&2 2>/dev/null || true
      return 1
    fi
    sleep 1
  done
}

# The process id of the server's JVM, as `server start` records it.
liberty_pid() {
  local file="$WLP/usr/servers/.pid/$SERVER.pid"
  [ -s "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null || die "no running JVM recorded in $file"
  cat "$file"
}

# --- tokens ----------------------------------------------------------------------------------------

base64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# A JWT (RS256) as MicroProfile JWT expects it: issuer, upn, groups = the role; valid for 8 hours;
# signed with the DEVELOPMENT-ONLY key.
dev_token() {
  local role=$1 now header payload signed
  command -v openssl >/dev/null || die "openssl is needed to sign tokens"
  now=$(date +%s)
  header=$(printf '{"alg":"RS256","typ":"JWT"}' | base64url)
  payload=$(printf '{"iss":"jobstate-dev","sub":"dev-%s","upn":"dev-%s","groups":["%s"],"iat":%d,"exp":%d,"jti":"%s"}' \
    "$role" "$role" "$role" "$now" $((now + 8 * 3600)) "$(openssl rand -hex 16)" | base64url)
  signed=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$ROOT/dev/jwt/dev-only-private-key.pem" | base64url)
  printf '%s.%s.%s\n' "$header" "$payload" "$signed"
}
