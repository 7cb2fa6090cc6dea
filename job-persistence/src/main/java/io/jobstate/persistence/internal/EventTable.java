package io.jobstate.persistence.internal;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.events.JobEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The SQL side of events, in one place: the {@code event_outbox} row a transition writes, and how a
 * published event is read back from {@code job_events}. Thread-safe (stateless).
 */
final class EventTable {

    /** The columns of a published event, in the order {@link #event(ResultSet, int)} reads them. */
    static final String NAMES = "seq, job_id, from_status, to_status, version, at, trace_id";
    /** The same of alias {@code e}. */
    static final String COLUMNS = "e." + NAMES.replace(", ", ", e.");

    private EventTable() {
    }

    /**
     * An INSERT of the outbox row of every job row {@code written} (a CTE, as for
     * {@link HistoryTable#insertFrom}), caused by the trace {@code traceId} ({@code null}: none).
     */
    static BoundSql insertFrom(String written, String traceId) {
        return BoundSql.builder()
                .append("INSERT INTO event_outbox (job_id, from_status, to_status, version, at, trace_id)"
                        + " SELECT id, previous_status, status, version, updated_at, CAST(? AS text) FROM " + written, traceId)
                .build();
    }

    static JobEvent event(ResultSet row, int first) throws SQLException {
        return new JobEvent(row.getLong(first), row.getObject(first + 1, UUID.class),
                JobStatus.valueOf(row.getString(first + 2)), JobStatus.valueOf(row.getString(first + 3)),
                row.getLong(first + 4), row.getObject(first + 5, OffsetDateTime.class).toInstant(), row.getString(first + 6));
    }
}
