#!/bin/bash
# The status-counts measurement of docs/benchmarks.md: 1,000,000 jobs loaded by SQL into a private
# PostgreSQL cluster (the service's migrations, triggers off during the load, the slots then filled
# once), then EXPLAIN ANALYZE of GROUP BY status against the read of the 64 slot rows. Run as root
# (the cluster runs as the postgres user); it stops and removes its cluster on exit.
set -u
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
W=$(mktemp -d /tmp/status-counts.XXXXXX); chmod 755 $W; chown postgres $W
D=$W/data; PORT=${PORT:-25977}; B=${JOBSTATE_PG_BIN:-/usr/lib/postgresql/15/bin}
mkdir -p $D; chown postgres $D; chmod 700 $D
runuser -u postgres -- $B/initdb -D $D -A trust -U postgres >/dev/null
runuser -u postgres -- $B/pg_ctl -D $D -o "-p $PORT -k $W -c listen_addresses=127.0.0.1 -c shared_buffers=256MB" -w -l $W/pg.log start >/dev/null
trap 'runuser -u postgres -- $B/pg_ctl -D $D -m fast -w stop >/dev/null; rm -rf $W' EXIT
P="psql -X -q -h 127.0.0.1 -p $PORT -U postgres -d postgres -v ON_ERROR_STOP=1"
for f in "$REPO"/job-persistence/src/main/resources/db/migration/V*.sql; do $P -f $f; done
echo "load:"; time $P -c "SET session_replication_role = replica" -c "INSERT INTO jobs (id,type,status,version,attempt,created_at,updated_at)
 SELECT gen_random_uuid(), 'build', (ARRAY['PENDING','QUEUED','COMPLETED','COMPLETED','COMPLETED','FAILED','CANCELLED'])[1+g%7], 0, 1, now()-g*interval '1 ms', now()
 FROM generate_series(1,1000000) g"
$P -c "UPDATE job_status_counts SET pending=(SELECT count(*) FROM jobs WHERE status='PENDING'), queued=(SELECT count(*) FROM jobs WHERE status='QUEUED'), completed=(SELECT count(*) FROM jobs WHERE status='COMPLETED'), failed=(SELECT count(*) FROM jobs WHERE status='FAILED'), cancelled=(SELECT count(*) FROM jobs WHERE status='CANCELLED') WHERE slot=0"
$P -c "VACUUM ANALYZE jobs" -c "VACUUM ANALYZE job_status_counts"
$P -c "SELECT status, count(*) FROM jobs GROUP BY status ORDER BY 1"
for i in 1 2 3; do
 echo "== GROUP BY run $i"; $P -c "EXPLAIN (ANALYZE, BUFFERS) SELECT status, count(*) FROM jobs GROUP BY status" | grep -E "Scan|Execution|Heap Fetches"
done
SQL="SELECT (SELECT last_seq FROM event_feed), sum(pending), sum(queued), sum(running), sum(completed), sum(failed), sum(cancelled) FROM job_status_counts"
$P -c "$SQL"
for i in 1 2 3; do echo "== slots run $i"; $P -c "EXPLAIN (ANALYZE, BUFFERS) $SQL" | grep -E "Scan on job_status|Execution"; done
