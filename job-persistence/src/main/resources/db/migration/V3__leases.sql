-- jobstate schema v3: leases of RUNNING jobs, and who made each transition.
--
-- Entering RUNNING grants a lease: an opaque token and an expiry on the database clock, renewed by
-- heartbeats and progress reports for lease_seconds at a time. Completing or failing a RUNNING job
-- needs the token; a job whose lease expired is reaped (RUNNING -> FAILED, actor 'reaper').

ALTER TABLE jobs
    ADD COLUMN lease_token      text,
    ADD COLUMN lease_expires_at timestamptz,
    ADD COLUMN lease_seconds    integer CHECK (lease_seconds >= 1);

ALTER TABLE job_history ADD COLUMN actor text;

-- Jobs RUNNING before leases existed get one of the default length from now: their workers do not
-- know its token, so they cannot finish them; the reaper fails them after it, instead of never.
UPDATE jobs SET lease_token = gen_random_uuid()::text, lease_seconds = 30,
                lease_expires_at = clock_timestamp() + interval '30 seconds'
WHERE status = 'RUNNING';

-- a lease exists exactly while RUNNING, always whole
ALTER TABLE jobs ADD CONSTRAINT jobs_lease_while_running CHECK (
    (status = 'RUNNING') = (lease_token IS NOT NULL)
    AND (lease_token IS NULL) = (lease_expires_at IS NULL)
    AND (lease_token IS NULL) = (lease_seconds IS NULL));

-- the reaper's work list
CREATE INDEX jobs_expiring_leases ON jobs (lease_expires_at) WHERE status = 'RUNNING';

-- A granted or extended lease runs from the write's database time: jobs_guard (which fires first,
-- by name) has just set updated_at, so the expiry is exactly updated_at + lease_seconds, whichever
-- path or statement wrote it.
CREATE FUNCTION jobs_lease_clock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.lease_token IS NOT NULL AND (NEW.lease_token IS DISTINCT FROM OLD.lease_token
                                        OR NEW.lease_expires_at > OLD.lease_expires_at) THEN
        NEW.lease_expires_at := NEW.updated_at + NEW.lease_seconds * interval '1 second';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER jobs_lease_clock BEFORE UPDATE ON jobs
    FOR EACH ROW EXECUTE FUNCTION jobs_lease_clock();
