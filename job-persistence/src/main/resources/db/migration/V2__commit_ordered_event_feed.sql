-- jobstate schema v2: the public, commit-ordered event feed.
--
-- job_events.seq came from an identity column, handed out when a transition writes its event. A
-- transaction holding 10 can commit after one holding 11: a consumer that read 11 and asks for
-- "after 11" would never see 10. So the write-time number becomes internal (outbox_id), and the
-- public seq is assigned after commit by a publisher (io.jobstate.persistence), one at a time
-- across all server instances (the row lock on event_feed), in outbox order. Every seq is visible
-- together with every smaller one, and seqs have no gaps (only a pruned prefix is missing).

ALTER TABLE job_events RENAME COLUMN seq TO outbox_id;
ALTER TABLE job_events ADD COLUMN seq bigint UNIQUE;

-- the publisher's work list, and the per-job feed
CREATE INDEX job_events_unpublished ON job_events (outbox_id) WHERE seq IS NULL;
CREATE INDEX job_events_of_job ON job_events (job_id, seq);

-- One row: the newest published seq, and the end of the prefix retention has deleted.
CREATE TABLE event_feed (
    singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_seq       bigint  NOT NULL CHECK (last_seq >= 0),
    pruned_through bigint  NOT NULL CHECK (pruned_through >= 0 AND pruned_through <= last_seq)
);

-- events written before this migration are committed: publish them in outbox order
UPDATE job_events e SET seq = n.seq
FROM (SELECT outbox_id, row_number() OVER (ORDER BY outbox_id) AS seq FROM job_events) n
WHERE e.outbox_id = n.outbox_id;

INSERT INTO event_feed (last_seq, pruned_through) SELECT count(*), 0 FROM job_events;
