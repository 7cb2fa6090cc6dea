-- jobstate schema v5: how many jobs are in each status, readable at once whatever the number of jobs.
--
-- Counting the jobs table (GROUP BY status) visits every row or index entry: at 1,000,000 jobs that
-- takes 130-300 ms (docs/benchmarks.md). One counter row updated by every write would make each
-- transition wait for the commit of the one before it. So the counts are spread over 64 slot rows:
-- each transaction adds what it changed to the slot its transaction id picks. Two concurrent writers
-- meet on a slot only by chance (1 in 64), and then one waits for the other's commit at most; a
-- transaction always uses one slot row, so counting adds no deadlock. The count of a status is the
-- sum over the slots (a slot's own numbers may be negative: a job can enter a status in one slot and
-- leave it in another). Triggers keep the slots, so every writer counts, hand-written SQL included.
CREATE TABLE job_status_counts (
    slot      integer PRIMARY KEY CHECK (slot BETWEEN 0 AND 63),
    pending   bigint  NOT NULL DEFAULT 0,
    queued    bigint  NOT NULL DEFAULT 0,
    running   bigint  NOT NULL DEFAULT 0,
    completed bigint  NOT NULL DEFAULT 0,
    failed    bigint  NOT NULL DEFAULT 0,
    cancelled bigint  NOT NULL DEFAULT 0
) WITH (fillfactor = 10);  -- a few slots per page: their new row versions stay on it (HOT updates)

INSERT INTO job_status_counts (slot) SELECT generate_series(0, 63);

-- One row's change: +1 for the status it entered, -1 for the one it left (INSERT enters, DELETE leaves).
CREATE FUNCTION jobs_count_statuses() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entered text := CASE WHEN TG_OP <> 'DELETE' THEN NEW.status END;
    left_   text := CASE WHEN TG_OP <> 'INSERT' THEN OLD.status END;
BEGIN
    UPDATE job_status_counts SET
        pending   = pending   + (entered IS NOT DISTINCT FROM 'PENDING')::int   - (left_ IS NOT DISTINCT FROM 'PENDING')::int,
        queued    = queued    + (entered IS NOT DISTINCT FROM 'QUEUED')::int    - (left_ IS NOT DISTINCT FROM 'QUEUED')::int,
        running   = running   + (entered IS NOT DISTINCT FROM 'RUNNING')::int   - (left_ IS NOT DISTINCT FROM 'RUNNING')::int,
        completed = completed + (entered IS NOT DISTINCT FROM 'COMPLETED')::int - (left_ IS NOT DISTINCT FROM 'COMPLETED')::int,
        failed    = failed    + (entered IS NOT DISTINCT FROM 'FAILED')::int    - (left_ IS NOT DISTINCT FROM 'FAILED')::int,
        cancelled = cancelled + (entered IS NOT DISTINCT FROM 'CANCELLED')::int - (left_ IS NOT DISTINCT FROM 'CANCELLED')::int
    WHERE slot = (pg_current_xact_id()::text::bigint % 64)::integer;
    RETURN NULL;
END
$$;

CREATE FUNCTION jobs_count_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE job_status_counts SET pending = 0, queued = 0, running = 0, completed = 0, failed = 0, cancelled = 0;
    RETURN NULL;
END
$$;

-- AFTER row triggers run at the end of their statement, after every row lock it took: the slot is
-- always locked last. Progress reports and heartbeats leave the status alone and fire nothing.
CREATE TRIGGER jobs_count_created_or_deleted AFTER INSERT OR DELETE ON jobs
    FOR EACH ROW EXECUTE FUNCTION jobs_count_statuses();
CREATE TRIGGER jobs_count_moved AFTER UPDATE OF status ON jobs
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION jobs_count_statuses();
CREATE TRIGGER jobs_count_truncated AFTER TRUNCATE ON jobs
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_count_truncated();

-- The jobs that exist already, counted once into slot 0. The triggers above locked the table against
-- writers until this migration commits, so no write falls between the count and the triggers.
UPDATE job_status_counts SET
    pending   = (SELECT count(*) FROM jobs WHERE status = 'PENDING'),
    queued    = (SELECT count(*) FROM jobs WHERE status = 'QUEUED'),
    running   = (SELECT count(*) FROM jobs WHERE status = 'RUNNING'),
    completed = (SELECT count(*) FROM jobs WHERE status = 'COMPLETED'),
    failed    = (SELECT count(*) FROM jobs WHERE status = 'FAILED'),
    cancelled = (SELECT count(*) FROM jobs WHERE status = 'CANCELLED')
WHERE slot = 0;
