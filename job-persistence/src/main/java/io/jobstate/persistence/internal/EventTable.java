package io.jobstate.persistence.internal;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.events.JobEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The SQL side of the {@code job_events} outbox, in one place: the row a transition writes, and how
 * a published event is read back. Thread-safe (stateless).
 */
final class EventTable {

    /** The columns of a published event of alias {@code e}, in the order {@link #event(ResultSet, int)} reads them. */
    static final String COLUMNS = "e.seq, e.job_id, e.from_status, e.to_status, e.version, e.at";

    private EventTable() {
    }

    /** An INSERT of the outbox row of every job row {@code written} (a CTE, as for {@link HistoryTable#insertFrom}). */
    static String insertFrom(String written) {
        return "INSERT INTO job_events (job_id, from_status, to_status, version, at)"
                + " SELECT id, previous_status, status, version, updated_at FROM " + written;
    }

    static JobEvent event(ResultSet row, int first) throws SQLException {
        return new JobEvent(row.getLong(first), row.getObject(first + 1, UUID.class),
                JobStatus.valueOf(row.getString(first + 2)), JobStatus.valueOf(row.getString(first + 3)),
                row.getLong(first + 4), row.getObject(first + 5, OffsetDateTime.class).toInstant());
    }
}
