# Sourced by the measurement scripts here: a private PostgreSQL 15 cluster for one run. Run as root
# (the cluster runs as the postgres user); it is stopped and removed when the script exits.

# private_cluster NAME: starts the cluster on $PORT (each script sets its own default) and sets W (its
# folder, /tmp/NAME.*), D (its data), B (PostgreSQL's binaries) and P (psql as postgres on database
# postgres, stopping at the first error; a later -d names another database).
private_cluster() {
  W=$(mktemp -d "/tmp/$1.XXXXXX"); chmod 755 "$W"; chown postgres "$W"
  D=$W/data; B=${JOBSTATE_PG_BIN:-/usr/lib/postgresql/15/bin}
  mkdir -p "$D"; chown postgres "$D"; chmod 700 "$D"
  runuser -u postgres -- "$B/initdb" -D "$D" -A trust -U postgres >/dev/null
  runuser -u postgres -- "$B/pg_ctl" -D "$D" -o "-p $PORT -k $W -c listen_addresses=127.0.0.1 -c shared_buffers=256MB" \
    -w -l "$W/pg.log" start >/dev/null
  trap 'runuser -u postgres -- "$B/pg_ctl" -D "$D" -m fast -w stop >/dev/null; rm -rf "$W"' EXIT
  P="psql -X -q -h 127.0.0.1 -p $PORT -U postgres -d postgres -v ON_ERROR_STOP=1"
}

# The service's migrations in version order (V10 after V9, which a plain glob does not give).
migrations() {
  ls "$REPO"/job-persistence/src/main/resources/db/migration/V*__*.sql | sort -V
}

# fresh_jobs DATABASE FIRST COUNT: COUNT new PENDING jobs numbered from FIRST, as ./jobstate bench
# makes them (the pgbench scripts the build writes address a job by its number)
fresh_jobs() {
  $P -d "$1" -c "INSERT INTO jobs (id, type, status, version, attempt, progress, created_at, updated_at)
    SELECT CAST(lpad(to_hex(n), 32, '0') AS uuid), 'bench', 'PENDING', 0, 1, 0, now(), now()
    FROM generate_series($2, $2 + $3 - 1) AS n" >/dev/null
}
