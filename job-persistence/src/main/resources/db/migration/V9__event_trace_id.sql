-- An event carries the trace id of the request whose transition caused it (W3C trace context: 32
-- lower-case hex digits), so that a consumer can find that request's trace; NULL when it came in no
-- trace (tracing off, the lease reaper, events written before this migration).
-- A nullable column without a default is added without rewriting the table; the check is NOT VALID
-- so that adding it does not scan the existing rows (all NULL), and holds for every new row.
ALTER TABLE job_events ADD COLUMN trace_id text;
ALTER TABLE job_events ADD CONSTRAINT job_events_trace_id_form CHECK (trace_id ~ '^[0-9a-f]{32}$') NOT VALID;
