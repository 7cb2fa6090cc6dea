package io.jobstate.persistence.testing;

/**
 * Every event the service wrote, whether it still waits in {@code event_outbox} or the publisher has
 * moved it, numbered, into {@code job_events} (schema V13), as a table expression a test selects from.
 * One statement reads both tables in one snapshot, and the publisher moves an event in one
 * transaction, so each event is seen exactly once.
 */
public final class WrittenEvents {

    /** Columns {@code outbox_id, seq} (null while waiting), {@code job_id, from_status, to_status, version, at, trace_id}. */
    public static final String TABLE = "(SELECT outbox_id, CAST(NULL AS bigint) AS seq, job_id, from_status, to_status,"
            + " version, at, trace_id FROM event_outbox"
            + " UNION ALL SELECT outbox_id, seq, job_id, from_status, to_status, version, at, trace_id FROM job_events)";

    private WrittenEvents() {
    }
}
