package io.jobstate.persistence.concurrency;

import io.jobstate.jobs.JobStatus;
import io.jobstate.persistence.support.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the database holds after a run, per job: its row, its history (by version), its events (by seq). */
record DatabaseState(Map<UUID, JobRow> jobs, Map<UUID, List<HistoryRow>> history, Map<UUID, List<EventRow>> events) {

    record JobRow(JobStatus status, long version, int attempt) {
    }

    record HistoryRow(long version, JobStatus from, JobStatus to, int attempt, String key, String fingerprint,
                      OffsetDateTime at) {
    }

    record EventRow(long outboxId, long version, JobStatus from, JobStatus to) {
    }

    static DatabaseState read(Connection connection, List<UUID> ids) throws SQLException {
        Map<UUID, JobRow> jobs = new HashMap<>();
        Map<UUID, List<HistoryRow>> history = new HashMap<>();
        Map<UUID, List<EventRow>> events = new HashMap<>();
        UUID[] array = ids.toArray(UUID[]::new);
        for (List<Object> row : Sql.rows(connection,
                "SELECT id, status, version, attempt FROM jobs WHERE id = ANY(?)", (Object) array)) {
            jobs.put((UUID) row.get(0), new JobRow(JobStatus.valueOf((String) row.get(1)),
                    (Long) row.get(2), (Integer) row.get(3)));
            history.put((UUID) row.get(0), new ArrayList<>());
            events.put((UUID) row.get(0), new ArrayList<>());
        }
        for (List<Object> row : Sql.rows(connection, "SELECT job_id, version, from_status, to_status, attempt,"
                + " idempotency_key, request_fingerprint, at FROM job_history WHERE job_id = ANY(?) ORDER BY job_id, version",
                (Object) array)) {
            history.get((UUID) row.get(0)).add(new HistoryRow((Long) row.get(1), JobStatus.valueOf((String) row.get(2)),
                    JobStatus.valueOf((String) row.get(3)), (Integer) row.get(4), (String) row.get(5), (String) row.get(6),
                    ((java.sql.Timestamp) row.get(7)).toInstant().atOffset(java.time.ZoneOffset.UTC)));
        }
        for (List<Object> row : Sql.rows(connection, "SELECT job_id, outbox_id, version, from_status, to_status"
                + " FROM job_events WHERE job_id = ANY(?) ORDER BY outbox_id", (Object) array)) {
            events.get((UUID) row.get(0)).add(new EventRow((Long) row.get(1), (Long) row.get(2),
                    JobStatus.valueOf((String) row.get(3)), JobStatus.valueOf((String) row.get(4))));
        }
        return new DatabaseState(jobs, history, events);
    }

    long historyRows() {
        return history.values().stream().mapToLong(List::size).sum();
    }

    long eventRows() {
        return events.values().stream().mapToLong(List::size).sum();
    }
}
