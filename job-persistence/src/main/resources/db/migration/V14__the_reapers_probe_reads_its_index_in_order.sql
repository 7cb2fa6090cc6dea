-- jobstate schema v14: the reaper's "has any lease expired?" reads the first entry of
-- jobs_expiring_leases in the index's order, whatever the statistics say.
--
-- The earliest lease is the first entry of that index (V3). Asked as min(lease_expires_at), or as
-- ORDER BY lease_expires_at LIMIT 1, PostgreSQL reads just that entry while its statistics count many
-- RUNNING jobs. Taken at a quiet moment (few or no jobs RUNNING), they make every plan look as cheap,
-- and it chose an aggregate over every entry of the index, or every RUNNING job's entry of
-- jobs_by_status_newest_first and a sort: up to 5,000 pages a probe, once a second per instance, in the
-- service under load (docs/benchmarks.md). Without a sort, only the ordered scan of the lease index
-- gives the first lease, so the probe is a function that plans its query with sorting switched off,
-- and without JIT: were the index ever missing, the cost that keeps sorts out would have every probe
-- compiled (a fifth of a second each where PostgreSQL has JIT).
-- clock_timestamp(): the clock of the probe, not of the transaction.
CREATE FUNCTION jobs_lease_expired() RETURNS boolean LANGUAGE sql VOLATILE
    SET enable_sort = off
    SET jit = off
AS $$
    SELECT COALESCE((SELECT lease_expires_at FROM jobs WHERE status = 'RUNNING'
                     ORDER BY lease_expires_at LIMIT 1) < clock_timestamp(), false)
$$;
