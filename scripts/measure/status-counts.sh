#!/bin/bash
# The status-counts measurement of docs/benchmarks.md: 1,000,000 jobs loaded by SQL into a private
# PostgreSQL cluster (the service's migrations, triggers off during the load, the slots then filled
# once), then EXPLAIN ANALYZE of GROUP BY status against the read of the 64 slot rows. Run as root
# (the cluster runs as the postgres user); it stops and removes its cluster on exit.
set -u
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
PORT=${PORT:-25977}
. "$REPO/scripts/measure/private-cluster.sh"
private_cluster status-counts
for f in $(migrations); do $P -f "$f"; done
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
