-- jobstate schema v12: a transition and the numbering of its event do the same checks with less work.
--
-- 1. jobs_guard checks a status change against the legal pairs written into it here, from
--    job_status_transitions, instead of looking the pair up in that table at every write: two index
--    lookups per transition that plpgsql runs as queries of their own. The table stays the one list of
--    pairs (tests hold it equal to the domain's); a migration that changes it remakes this function and
--    V11's CHECK job_history_legal_pair.
-- 2. job_events_of_job (job_id, seq) goes. A job's events are read through the unique index on
--    (job_id, version), in version order, which for one job is its order in the feed: a job's next
--    event is written only after the transaction of the one before committed (both hold the job's row
--    lock), so it is numbered after it. Every event written, and every event numbered (an update of
--    seq, so never HOT), made an entry in that index.
--
-- Measured with the service's uniform transition (docs/benchmarks.md, "What a transition costs
-- PostgreSQL"): about 4 shared buffers less per transition and 2 per event numbered.

DROP INDEX job_events_of_job;

DO $do$
DECLARE
    ways_out text := (SELECT string_agg(DISTINCT format('%L', from_status), ', ') FROM job_status_transitions);
    pairs    text := (SELECT string_agg(format('(%L, %L)', from_status, to_status), ', ' ORDER BY from_status, to_status)
                      FROM job_status_transitions);
BEGIN
    EXECUTE format($fn$
CREATE OR REPLACE FUNCTION jobs_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'PENDING' OR NEW.version <> 0 OR NEW.previous_status IS NOT NULL THEN
            RAISE EXCEPTION 'job %%: a job is created PENDING at version 0', NEW.id
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    -- An update that changes nothing stays exactly that: not even the time moves.
    IF NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;

    -- A terminal status (no way out in job_status_transitions) absorbs: nothing of the row changes.
    IF OLD.status NOT IN (%1$s) THEN
        RAISE EXCEPTION 'job %%: %% is terminal and cannot change', OLD.id, OLD.status
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        IF (OLD.status, NEW.status) NOT IN (%2$s) THEN
            RAISE EXCEPTION 'job %%: illegal status change %% -> %%', OLD.id, OLD.status, NEW.status
                USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.version <> OLD.version + 1 THEN
            RAISE EXCEPTION 'job %%: a status change must raise version by exactly one (%% -> %%)',
                OLD.id, OLD.version, NEW.version
                USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.previous_status IS DISTINCT FROM OLD.status THEN
            RAISE EXCEPTION 'job %%: previous_status must record %%', OLD.id, OLD.status
                USING ERRCODE = 'check_violation';
        END IF;
    ELSE
        IF NEW.version <> OLD.version THEN
            RAISE EXCEPTION 'job %%: version changes only with a status change', OLD.id
                USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.progress <> OLD.progress AND (OLD.status <> 'RUNNING' OR NEW.progress < OLD.progress) THEN
            RAISE EXCEPTION 'job %%: progress moves forward only while RUNNING', OLD.id
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;

    -- Times are the database's clock at the moment of the write, after any wait for the row lock
    -- (now() would be the start of a statement or transaction that may have waited), so a job's
    -- history never runs backwards, whichever path or server instance wrote it.
    NEW.updated_at := clock_timestamp();
    IF NEW.started_at IS NOT NULL AND NEW.started_at IS DISTINCT FROM OLD.started_at THEN
        NEW.started_at := NEW.updated_at;
    END IF;
    IF NEW.finished_at IS NOT NULL AND NEW.finished_at IS DISTINCT FROM OLD.finished_at THEN
        NEW.finished_at := NEW.updated_at;
    END IF;
    RETURN NEW;
END
$$
$fn$, ways_out, pairs);
END
$do$;
