-- jobstate schema v1: jobs, their transition history, and the outbox of status-change events.
-- The database guards the state machine itself (trigger jobs_guard), so even a hand-written UPDATE
-- cannot make an illegal status change, skip a version, or touch a terminal job.

-- The legal (from, to) pairs. Tests prove this table equals io.jobstate.jobs.JobStatus.
CREATE TABLE job_status_transitions (
    from_status text NOT NULL,
    to_status   text NOT NULL,
    PRIMARY KEY (from_status, to_status)
);

INSERT INTO job_status_transitions (from_status, to_status) VALUES
    ('PENDING', 'QUEUED'), ('PENDING', 'RUNNING'), ('PENDING', 'CANCELLED'),
    ('QUEUED',  'RUNNING'), ('QUEUED', 'CANCELLED'),
    ('RUNNING', 'COMPLETED'), ('RUNNING', 'FAILED'), ('RUNNING', 'CANCELLED'),
    ('FAILED',  'QUEUED');

CREATE TABLE jobs (
    id                  uuid        PRIMARY KEY,
    type                text        NOT NULL CHECK (char_length(type) BETWEEN 1 AND 100),
    status              text        NOT NULL
        CHECK (status IN ('PENDING', 'QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')),
    -- the status before the last transition: lets one UPDATE … RETURNING report where it came from
    previous_status     text,
    version             bigint      NOT NULL CHECK (version >= 0),
    attempt             integer     NOT NULL CHECK (attempt >= 1),
    progress            integer     NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    payload             jsonb,
    result              jsonb,
    error               text,
    idempotency_key     text        UNIQUE,
    request_fingerprint text,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    started_at          timestamptz,
    finished_at         timestamptz
);

-- GET /jobs lists newest first with keyset pagination, optionally filtered by status or type.
CREATE INDEX jobs_newest_first ON jobs (created_at DESC, id DESC);
CREATE INDEX jobs_by_status_newest_first ON jobs (status, created_at DESC, id DESC);
CREATE INDEX jobs_by_type_newest_first ON jobs (type, created_at DESC, id DESC);

CREATE TABLE job_history (
    job_id              uuid        NOT NULL REFERENCES jobs (id),
    version             bigint      NOT NULL CHECK (version >= 1),
    from_status         text        NOT NULL,
    to_status           text        NOT NULL,
    at                  timestamptz NOT NULL,
    attempt             integer     NOT NULL,
    idempotency_key     text,
    request_fingerprint text,
    reason              text,
    PRIMARY KEY (job_id, version),
    UNIQUE (job_id, idempotency_key),
    FOREIGN KEY (from_status, to_status) REFERENCES job_status_transitions (from_status, to_status)
);

-- The transactional outbox: one row per applied transition, written in the same transaction.
CREATE TABLE job_events (
    seq         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id      uuid        NOT NULL REFERENCES jobs (id),
    from_status text        NOT NULL,
    to_status   text        NOT NULL,
    version     bigint      NOT NULL,
    at          timestamptz NOT NULL,
    UNIQUE (job_id, version)
);

CREATE FUNCTION jobs_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'PENDING' OR NEW.version <> 0 OR NEW.previous_status IS NOT NULL THEN
            RAISE EXCEPTION 'job %: a job is created PENDING at version 0', NEW.id
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;

    -- An update that changes nothing stays exactly that: not even the time moves.
    IF NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;

    -- A terminal status (no way out in job_status_transitions) absorbs: nothing of the row changes.
    IF NOT EXISTS (SELECT 1 FROM job_status_transitions WHERE from_status = OLD.status) THEN
        RAISE EXCEPTION 'job %: % is terminal and cannot change', OLD.id, OLD.status
            USING ERRCODE = 'check_violation';
    END IF;

    IF NEW.status IS DISTINCT FROM OLD.status THEN
        IF NOT EXISTS (SELECT 1 FROM job_status_transitions
                       WHERE from_status = OLD.status AND to_status = NEW.status) THEN
            RAISE EXCEPTION 'job %: illegal status change % -> %', OLD.id, OLD.status, NEW.status
                USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.version <> OLD.version + 1 THEN
            RAISE EXCEPTION 'job %: a status change must raise version by exactly one (% -> %)',
                OLD.id, OLD.version, NEW.version
                USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.previous_status IS DISTINCT FROM OLD.status THEN
            RAISE EXCEPTION 'job %: previous_status must record %', OLD.id, OLD.status
                USING ERRCODE = 'check_violation';
        END IF;
    ELSE
        IF NEW.version <> OLD.version THEN
            RAISE EXCEPTION 'job %: version changes only with a status change', OLD.id
                USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.progress <> OLD.progress AND (OLD.status <> 'RUNNING' OR NEW.progress < OLD.progress) THEN
            RAISE EXCEPTION 'job %: progress moves forward only while RUNNING', OLD.id
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
$$;

CREATE TRIGGER jobs_guard BEFORE INSERT OR UPDATE ON jobs
    FOR EACH ROW EXECUTE FUNCTION jobs_guard();
