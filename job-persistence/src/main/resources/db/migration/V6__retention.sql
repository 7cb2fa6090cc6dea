-- jobstate schema v6: retention. Finished jobs are deleted once past their retention, in bounded
-- batches (io.jobstate.persistence.internal.PostgresJobPruner), events stay until the feed's own
-- retention, and counting a deletion costs one write per statement.

-- Events outlive their jobs. An outbox row is the record of a transition that happened: a consumer
-- reads it until the feed's retention whether or not its job is still kept (GET of the job is then
-- 404). The history has no such life of its own: it is deleted with its job, by the same statement.
ALTER TABLE job_events DROP CONSTRAINT job_events_job_id_fkey;

-- The pruner's work lists: finished jobs by status and finishedAt, those created with an
-- Idempotency-Key apart (they are kept at least the idempotency window, so their cutoff may be
-- another). Each batch is then one index range scan per list, which stops after the batch's size
-- however large the backlog, and a pass with nothing due reads one index page per list.
-- Built inside this migration's transaction: writers of jobs wait for the build (seconds per million
-- jobs; docs/operations.md).
CREATE INDEX jobs_finished_without_key ON jobs (status, finished_at)
    WHERE finished_at IS NOT NULL AND idempotency_key IS NULL;
CREATE INDEX jobs_finished_with_key ON jobs (status, finished_at)
    WHERE finished_at IS NOT NULL AND idempotency_key IS NOT NULL;

-- V5 counted every deleted row with an update of its transaction's slot: a batch of 1,000 deletions
-- made 1,000 versions of one slot row. A deletion is now counted once per statement, from the rows it
-- deleted; creations stay counted per row (one row per statement).
DROP TRIGGER jobs_count_created_or_deleted ON jobs;
CREATE TRIGGER jobs_count_created AFTER INSERT ON jobs
    FOR EACH ROW EXECUTE FUNCTION jobs_count_statuses();

CREATE FUNCTION jobs_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- a DELETE that matched nothing writes nothing (and takes no transaction id)
    IF NOT EXISTS (SELECT 1 FROM gone) THEN
        RETURN NULL;
    END IF;
    UPDATE job_status_counts c SET
        pending   = c.pending   - g.pending,
        queued    = c.queued    - g.queued,
        running   = c.running   - g.running,
        completed = c.completed - g.completed,
        failed    = c.failed    - g.failed,
        cancelled = c.cancelled - g.cancelled
    FROM (SELECT count(*) FILTER (WHERE status = 'PENDING')   AS pending,
                 count(*) FILTER (WHERE status = 'QUEUED')    AS queued,
                 count(*) FILTER (WHERE status = 'RUNNING')   AS running,
                 count(*) FILTER (WHERE status = 'COMPLETED') AS completed,
                 count(*) FILTER (WHERE status = 'FAILED')    AS failed,
                 count(*) FILTER (WHERE status = 'CANCELLED') AS cancelled
          FROM gone) g
    WHERE c.slot = (pg_current_xact_id()::text::bigint % 64)::integer;
    RETURN NULL;
END
$$;

-- AFTER, at the end of the statement, after every row lock it took: the slot is still locked last.
CREATE TRIGGER jobs_count_deleted AFTER DELETE ON jobs
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_count_deleted();
