-- The lean transition (pgbench script, on the schema of lean-schema.sql): one conditional UPDATE of a
-- random job, one history row, one outbox row, in one transaction. The floor the service's transition
-- is compared with in ./jobstate bench (the pgbench-lean cells, the vs lean column): nothing that
-- records a transition durably, with its history and an event to publish, does less. It checks no
-- transition rule, keeps no idempotency key, lease or count, and its UPDATE always matches (RUNNING
-- stays RUNNING), so every transaction is one applied transition.
\set id random(1, 10000)
BEGIN;
UPDATE job SET version = version + 1, updated_at = now() WHERE id = :id AND status = 'RUNNING' RETURNING version;
INSERT INTO job_history(job_id, from_status, to_status, version) VALUES (:id, 'RUNNING', 'RUNNING', 1);
INSERT INTO outbox(job_id, payload) VALUES (:id, '{"status":"RUNNING"}');
COMMIT;
