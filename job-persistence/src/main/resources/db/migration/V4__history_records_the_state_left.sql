-- jobstate schema v4: each history row records the job's state as its transition left it.
--
-- Contract 1.0: an Idempotency-Key replay answers what the original request produced — the job at
-- the version it made, with the progress, result, error, times and (for a RUNNING start) the lease
-- that transition granted — not the job as it is now. The transition's own statement copies these
-- columns from the jobs row it has just written, so they are exactly what the original answer showed
-- (later heartbeats and progress reports change the jobs row, never these).
--
-- Rows written before this migration keep NULLs here (progress IS NULL marks them); their replays
-- fall back to the job as it is now. No backfill: the jobs row no longer holds what they produced.
-- No constraints: the values are copies of a jobs row, which has its own; adding a CHECK would scan
-- the whole table at migration time.

ALTER TABLE job_history
    ADD COLUMN progress         integer,
    ADD COLUMN result           jsonb,
    ADD COLUMN error            text,
    ADD COLUMN started_at       timestamptz,
    ADD COLUMN finished_at      timestamptz,
    ADD COLUMN lease_token      text,
    ADD COLUMN lease_expires_at timestamptz,
    ADD COLUMN lease_seconds    integer;
