-- jobstate schema v10: a claim for one type reads that type's queue, whatever the planner estimates.
--
-- With both queue indexes of V8 usable, a prepared claim for one type could get a generic plan (the
-- driver prepares a statement run five times, PostgreSQL may then plan it for any type) that read the
-- queue of every type oldest first and filtered on the type: in the first recorded benchmark each
-- claim stepped over the 119,141 older QUEUED jobs of other types (16-84 ms a claim instead of
-- 0.1 ms). The planner prices both indexes alike there, because for "type = $1" it assumes an
-- average type. So the any-type index now holds only rows that also satisfy version > 0 (every QUEUED
-- job does: a job is created at version 0 and each move raises it), and only the statements that
-- state it can use it: claims of any type and of several types (TransitionStatement.claiming). A
-- claim for one type does not state it, so its only index is its type's own queue.
DROP INDEX jobs_queued_oldest_first;
CREATE INDEX jobs_queued_oldest_first ON jobs (updated_at, id) WHERE status = 'QUEUED' AND version > 0;
