-- jobstate schema v7: a lease's expiry is computed in one place, this trigger.
--
-- Until now the statements that grant or renew a lease each wrote an expiry of their own
-- (clock_timestamp() + lease_seconds: entering RUNNING, a heartbeat, a progress report), and
-- jobs_lease_clock (v3) then replaced it with updated_at + lease_seconds. Now the statements only
-- write: a new lease token grants a lease; any other write of a RUNNING job that leaves the expiry
-- as it was (a heartbeat, a progress report) renews it; the trigger computes the expiry of both.
--
-- A write that sets the expiry itself keeps it when it is earlier (an operator or a test expiring a
-- lease by hand); a later one is replaced by the computed expiry, as in v3, which is what service
-- instances of an older version write during a rolling upgrade. An update that changes nothing
-- still changes nothing (jobs_guard, which fires first, leaves updated_at alone then).

CREATE OR REPLACE FUNCTION jobs_lease_clock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;
    IF NEW.lease_token IS NOT NULL AND (NEW.lease_token IS DISTINCT FROM OLD.lease_token
                                        OR NEW.lease_expires_at IS NOT DISTINCT FROM OLD.lease_expires_at
                                        OR NEW.lease_expires_at > OLD.lease_expires_at) THEN
        NEW.lease_expires_at := NEW.updated_at + NEW.lease_seconds * interval '1 second';
    END IF;
    RETURN NEW;
END
$$;
