-- jobstate schema v8: workers claim the next QUEUED job (POST /api/jobs/claims, contract 1.1).
--
-- A claim takes the job QUEUED longest among some types: for a QUEUED job, updated_at is when it
-- entered QUEUED (nothing else writes a QUEUED job without leaving it). The claim locks its
-- candidate with FOR UPDATE SKIP LOCKED, so these indexes are read in order and a held row is
-- stepped over rather than waited for. Both are partial: they hold only the queue, not every job.
CREATE INDEX jobs_queued_oldest_first ON jobs (updated_at, id) WHERE status = 'QUEUED';
CREATE INDEX jobs_queued_by_type_oldest_first ON jobs (type, updated_at, id) WHERE status = 'QUEUED';

-- A claim's idempotency key is not tied to a job the caller knows: it is unique among claims, so
-- that two attempts of one claim (a retry racing its lost original) cannot take two jobs. The
-- history row of a claim is its record (to_status RUNNING, reason 'claimed'); the key goes when the
-- job's history is pruned, as a transition's key does.
CREATE UNIQUE INDEX job_history_claim_keys ON job_history (idempotency_key)
    WHERE to_status = 'RUNNING' AND reason = 'claimed' AND idempotency_key IS NOT NULL;
