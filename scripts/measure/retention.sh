#!/bin/bash
# The retention measurements of docs/operations.md and docs/benchmarks.md: how long migration V6 holds
# writers of jobs at 1,000,000 jobs (it builds the pruner's two indexes inside its transaction), and
# what one pruning batch of 500 jobs with their history costs (time, WAL) out of a backlog. A private
# PostgreSQL cluster gets migrations V1-V5, 1,000,000 jobs loaded by SQL (triggers off during the load:
# 7 in 10 finished a day ago, half of them created with an Idempotency-Key) with four history rows
# each, then V6, timed, then ten batches of the pruner's delete (the statement PostgresJobPruner runs,
# written out here for COMPLETED jobs with a retention of one hour). Run as root (the cluster runs as
# the postgres user); it stops and removes its cluster on exit.
set -u
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
PORT=${PORT:-25978}
. "$REPO/scripts/measure/private-cluster.sh"
private_cluster retention-measure
for f in "$REPO"/job-persistence/src/main/resources/db/migration/V[1-5]__*.sql; do $P -f "$f"; done
echo "load: 1,000,000 jobs, 4,000,000 history rows"
$P -c "SET session_replication_role = replica" -c "INSERT INTO jobs (id, type, status, version, attempt, created_at, updated_at, finished_at, idempotency_key, request_fingerprint)
  SELECT gen_random_uuid(), 'build', s, 4, 1, now() - interval '1 day' - g * interval '1 ms', now() - interval '1 day',
         CASE WHEN s IN ('COMPLETED', 'FAILED', 'CANCELLED') THEN now() - interval '1 day' - g * interval '1 ms' END,
         CASE WHEN g % 2 = 0 THEN 'key-' || g END, CASE WHEN g % 2 = 0 THEN 'f' END
  FROM generate_series(1, 1000000) g,
       LATERAL (SELECT (ARRAY['PENDING','QUEUED','QUEUED','COMPLETED','COMPLETED','COMPLETED','COMPLETED','FAILED','FAILED','CANCELLED'])[1 + g % 10] AS s) x"
$P -c "SET session_replication_role = replica" -c "INSERT INTO job_history (job_id, version, from_status, to_status, at, attempt)
  SELECT j.id, v, (ARRAY['PENDING','QUEUED','RUNNING','RUNNING'])[v], (ARRAY['QUEUED','RUNNING','COMPLETED','COMPLETED'])[v], j.updated_at, 1
  FROM jobs j, generate_series(1, 4) v"
$P -c "VACUUM ANALYZE jobs" -c "VACUUM ANALYZE job_history"
$P -c "SELECT count(*) AS jobs, pg_size_pretty(pg_total_relation_size('jobs')) AS jobs_size FROM jobs"
echo "== V6 (builds jobs_finished_without_key and jobs_finished_with_key; writers of jobs wait for it)"
start=$(date +%s%N)
$P -f "$REPO"/job-persistence/src/main/resources/db/migration/V6__retention.sql
echo "V6 took $(( ($(date +%s%N) - start) / 1000000 )) ms"
$P -c "VACUUM ANALYZE jobs"
echo "== ten pruning batches of 500 COMPLETED jobs (retention PT1H), each: read the due ids, then one delete statement"
for i in $(seq 1 10); do
  $P -At -c "SELECT pg_current_wal_lsn()" > "$W/lsn"
  start=$(date +%s%N)
  ids=$($P -At -c "SELECT '{' || string_agg(id::text, ',') || '}' FROM (SELECT id FROM (
      (SELECT id, finished_at FROM jobs WHERE status = 'COMPLETED' AND finished_at IS NOT NULL AND idempotency_key IS NULL
         AND finished_at < now() - interval '1 hour' ORDER BY finished_at LIMIT 500)
      UNION ALL (SELECT id, finished_at FROM jobs WHERE status = 'COMPLETED' AND finished_at IS NOT NULL AND idempotency_key IS NOT NULL
         AND finished_at < now() - interval '1 hour' ORDER BY finished_at LIMIT 500)) due ORDER BY finished_at LIMIT 500) d")
  deleted=$($P -At -v ids="$ids" <<'SQL'
WITH doomed AS (SELECT id FROM jobs WHERE id = ANY (CAST(:'ids' AS uuid[])) AND status = 'COMPLETED'
                  AND finished_at < now() - interval '1 hour' FOR UPDATE SKIP LOCKED),
gone AS (DELETE FROM jobs USING doomed WHERE jobs.id = doomed.id AND jobs.status = 'COMPLETED'
           AND jobs.finished_at < now() - interval '1 hour' RETURNING jobs.id, jobs.status),
forgotten AS (DELETE FROM job_history h USING gone WHERE h.job_id = gone.id)
SELECT count(*) FROM gone
SQL
)
  took=$(( ($(date +%s%N) - start) / 1000000 ))
  wal=$($P -At -c "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$(cat "$W/lsn")')")
  echo "batch $i: $deleted jobs (and their history) in $took ms, $(( wal / 1024 )) KiB of WAL"
done
