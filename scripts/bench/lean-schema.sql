-- The lean transition's schema: the yardstick ./jobstate bench measures the service's own SQL against
-- (scripts/bench.sh loads it into a database of its own, jobstate_lean, on the bench's private cluster).
--
-- A job table, a history table and an outbox table, each with its primary key and nothing else: no
-- triggers, no guard table, no foreign keys, no CHECKs, no status index, no idempotency or lease
-- columns, no status counts. It is the least a durable transition that records what happened and hands
-- it to a publisher can write, so no transition that keeps jobstate's guarantees can cost PostgreSQL
-- less: the floor, not a rival design. Kept as the issue that introduced it measured it (10,000 jobs,
-- all RUNNING); change it and earlier ratios against it no longer compare.
CREATE TABLE job(id bigint primary key, status text not null, version bigint not null default 0, updated_at timestamptz not null default now());
INSERT INTO job SELECT g, 'RUNNING', 0, now() FROM generate_series(1,10000) g;
CREATE TABLE job_history(id bigserial primary key, job_id bigint not null, from_status text, to_status text, version bigint, at timestamptz default now());
CREATE TABLE outbox(seq bigserial primary key, job_id bigint, payload text, at timestamptz default now());
