-- jobstate schema v15: the same rules, checked without PostgreSQL reading them again at every write.
--
-- PostgreSQL stores a table's CHECK constraints as text and, for every statement that writes the
-- table, reads each one back, plans it and compiles it before the first row is checked. A transition
-- writes jobs (seven CHECKs), job_history (two, one of them the legal pairs of V11: 8 KB of text),
-- event_outbox (one) and, through jobs_count_moved, job_status_counts (one): 16% of the PostgreSQL CPU
-- of the service's transition went there (docs/benchmarks.md, "V15, and the key whatever the
-- statistics").
--
-- 1. A rule on one column becomes a domain, the column's type: a domain's rules are read once per
--    connection and kept, and a statement checks them only for the columns it writes (a transition
--    does not write attempt, type or the count slot, for instance). Each refuses what its CHECK did,
--    with the same SQLSTATE (23514, check_violation), naming the domain's constraint.
-- 2. The rules on several columns stay CHECKs, written shorter: the legal pairs as one array of
--    'FROM>TO' (still made from job_status_transitions; a migration that changes that table remakes
--    this CHECK and jobs_guard), the lease rule with num_nulls.
--
-- The old CHECKs go first and the columns change type to domains without rules, which rewrites no
-- table and no index but the five partial indexes of jobs whose key or predicate names the status or
-- the version. Each rule is then added to its domain, which reads the tables of its columns once to
-- check it (none fails: the CHECKs held until this transaction dropped them). The trace id's rule is
-- added NOT VALID, as V9 added it to job_events: the feed is not read, and every new row is checked.
-- jobs_count_moved names status, so it is made again as it was. Changing a column's type drops its
-- statistics, so the tables are analysed at the end.

ALTER TABLE jobs
    DROP CONSTRAINT jobs_status_check,
    DROP CONSTRAINT jobs_type_check,
    DROP CONSTRAINT jobs_version_check,
    DROP CONSTRAINT jobs_attempt_check,
    DROP CONSTRAINT jobs_progress_check,
    DROP CONSTRAINT jobs_lease_seconds_check,
    DROP CONSTRAINT jobs_lease_while_running;
ALTER TABLE job_history       DROP CONSTRAINT job_history_version_check;
ALTER TABLE event_outbox      DROP CONSTRAINT event_outbox_trace_id_form;
ALTER TABLE job_events        DROP CONSTRAINT job_events_trace_id_form;
ALTER TABLE job_status_counts DROP CONSTRAINT job_status_counts_slot_check;

CREATE DOMAIN job_status AS text;
CREATE DOMAIN job_type AS text;
CREATE DOMAIN job_version AS bigint;
CREATE DOMAIN job_attempt AS integer;
CREATE DOMAIN job_progress AS integer;
CREATE DOMAIN job_lease_seconds AS integer;
CREATE DOMAIN history_version AS bigint;
CREATE DOMAIN event_trace_id AS text;
CREATE DOMAIN status_count_slot AS integer;

DROP TRIGGER jobs_count_moved ON jobs;
ALTER TABLE jobs
    ALTER COLUMN status        TYPE job_status,
    ALTER COLUMN type          TYPE job_type,
    ALTER COLUMN version       TYPE job_version,
    ALTER COLUMN attempt       TYPE job_attempt,
    ALTER COLUMN progress      TYPE job_progress,
    ALTER COLUMN lease_seconds TYPE job_lease_seconds;
CREATE TRIGGER jobs_count_moved AFTER UPDATE OF status ON jobs
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION jobs_count_statuses();
ALTER TABLE job_history       ALTER COLUMN version  TYPE history_version;
ALTER TABLE event_outbox      ALTER COLUMN trace_id TYPE event_trace_id;
ALTER TABLE job_events        ALTER COLUMN trace_id TYPE event_trace_id;
ALTER TABLE job_status_counts ALTER COLUMN slot     TYPE status_count_slot;

ALTER DOMAIN job_status ADD CONSTRAINT job_status_check
    CHECK (VALUE IN ('PENDING', 'QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'));
ALTER DOMAIN job_type ADD CONSTRAINT job_type_check CHECK (char_length(VALUE) BETWEEN 1 AND 100);
ALTER DOMAIN job_version ADD CONSTRAINT job_version_check CHECK (VALUE >= 0);
ALTER DOMAIN job_attempt ADD CONSTRAINT job_attempt_check CHECK (VALUE >= 1);
ALTER DOMAIN job_progress ADD CONSTRAINT job_progress_check CHECK (VALUE BETWEEN 0 AND 100);
ALTER DOMAIN job_lease_seconds ADD CONSTRAINT job_lease_seconds_check CHECK (VALUE >= 1);
ALTER DOMAIN history_version ADD CONSTRAINT history_version_check CHECK (VALUE >= 1);
ALTER DOMAIN event_trace_id ADD CONSTRAINT event_trace_id_form CHECK (VALUE ~ '^[0-9a-f]{32}$') NOT VALID;
ALTER DOMAIN status_count_slot ADD CONSTRAINT status_count_slot_check CHECK (VALUE BETWEEN 0 AND 63);

-- a lease exists exactly while RUNNING, always whole (V3's rule): all three set, or none
ALTER TABLE jobs ADD CONSTRAINT jobs_lease_while_running
    CHECK (num_nulls(lease_token, lease_expires_at, lease_seconds) = CASE WHEN status = 'RUNNING' THEN 0 ELSE 3 END);

DO $$
BEGIN
    EXECUTE format('ALTER TABLE job_history DROP CONSTRAINT job_history_legal_pair, '
                   'ADD CONSTRAINT job_history_legal_pair CHECK (from_status || ''>'' || to_status = ANY (%L::text[]))',
                   (SELECT array_agg(from_status || '>' || to_status ORDER BY from_status, to_status)
                    FROM job_status_transitions));
END
$$;

ANALYZE jobs, job_history, event_outbox, job_events, job_status_counts;
