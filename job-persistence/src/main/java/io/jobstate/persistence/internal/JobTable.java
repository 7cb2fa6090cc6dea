package io.jobstate.persistence.internal;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The SQL side of the {@code jobs} row, in one place: the columns a {@link Job} is read from (and
 * how), and what entering each status writes to them ({@link #entering}). The JPA side is
 * {@link JobEntity}; a new column touches these two classes. Thread-safe (stateless).
 */
final class JobTable {

    private static final List<String> COLUMNS = List.of("id", "type", "status", "version", "attempt",
            "progress", "payload", "result", "error", "created_at", "updated_at", "started_at", "finished_at",
            "lease_token", "lease_expires_at", "lease_seconds");
    private static final Set<String> JSON_COLUMNS = Set.of("payload", "result");

    static final int COLUMN_COUNT = COLUMNS.size();
    private static final String FIND = "SELECT " + columns("jobs") + " FROM jobs WHERE id = ?";

    /** Clears the lease: every target but RUNNING leaves the run (the table's CHECK holds it). */
    private static final String NO_LEASE = ", lease_token = NULL, lease_expires_at = NULL, lease_seconds = NULL";

    /** {@link #andStatusIn} for a status bound as the statement's next parameter. */
    static final String AND_STATUS_IS_PARAMETER = " AND (jobs.status = ?) IS TRUE";

    private JobTable() {
    }

    /**
     * " AND the job's status is one of {@code statuses}", for a statement on {@code jobs} that finds
     * its one job by its id. Written as a test of the comparison's truth, which no index serves, so the key is the
     * only way to the row: as a plain {@code status IN (…)}, statistics taken while few jobs had
     * such a status (a deploy, a bulk load, a quiet night) made a scan of every such job's entry of
     * jobs_by_status_newest_first look cheaper than the key, and a completion read the entries of
     * every RUNNING job (QuietStatisticsPlanIT).
     */
    static String andStatusIn(Set<JobStatus> statuses) {
        return statuses.stream().map(s -> "'" + s.name() + "'")
                .collect(Collectors.joining(", ", " AND (jobs.status IN (", ")) IS TRUE"));
    }

    /** The columns of a job of {@code table} (a name or alias), in the order {@link #job(ResultSet, int)} reads them. */
    static String columns(String table) {
        return COLUMNS.stream()
                .map(column -> table + "." + column + (JSON_COLUMNS.contains(column) ? "::text" : ""))
                .collect(Collectors.joining(", "));
    }

    static Job job(ResultSet row, int first) throws SQLException {
        int i = first;
        return new Job(
                row.getObject(i++, UUID.class),
                row.getString(i++),
                JobStatus.valueOf(row.getString(i++)),
                row.getLong(i++),
                row.getInt(i++),
                row.getInt(i++),
                row.getString(i++),
                row.getString(i++),
                row.getString(i++),
                instant(row, i++),
                instant(row, i++),
                instant(row, i++),
                instant(row, i++),
                lease(row, i));
    }

    /**
     * The SET clause of a transition to {@code to}: status, version and time, and what entering
     * {@code to} does to the other columns. Mirrors {@code Job#transitionedTo}; the persistence
     * contract tests hold both to it. The times set here are replaced by the database clock of the
     * write (trigger jobs_guard); a new lease token grants a lease whose expiry the database computes
     * (trigger jobs_lease_clock, V7: the one place that does).
     *
     * @param result        COMPLETED's result (JSON text), else ignored
     * @param error         FAILED's error, else ignored
     * @param newLeaseToken RUNNING's new lease token, else ignored
     * @param leaseSeconds  RUNNING's lease length, else ignored
     */
    static BoundSql entering(JobStatus to, String result, String error, String newLeaseToken, int leaseSeconds) {
        BoundSql.Builder set = BoundSql.builder()
                .append("previous_status = status, status = '" + to.name() + "', version = version + 1, updated_at = now(), ");
        return switch (to) {
            case QUEUED -> set.append("attempt = attempt + CASE WHEN status = 'FAILED' THEN 1 ELSE 0 END, progress = 0,"
                    + " result = NULL, error = NULL, started_at = NULL, finished_at = NULL" + NO_LEASE).build();
            case RUNNING -> set.append("progress = 0, result = NULL, error = NULL, started_at = now(), finished_at = NULL")
                    .append(", lease_token = ?", newLeaseToken)
                    .append(", lease_seconds = CAST(? AS integer)", leaseSeconds)
                    .build();
            case COMPLETED -> set.append("progress = 100, result = CAST(? AS jsonb), error = NULL, finished_at = now()", result)
                    .append(NO_LEASE).build();
            case FAILED -> set.append("result = NULL, error = ?, finished_at = now()", error).append(NO_LEASE).build();
            case CANCELLED -> set.append("result = NULL, error = NULL, finished_at = now()" + NO_LEASE).build();
            case PENDING -> throw new IllegalArgumentException("nothing enters PENDING except creation");
        };
    }

    /** Job {@code id} as it is now, or empty. */
    static Optional<Job> find(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(FIND)) {
            statement.setObject(1, id);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(job(row, 1)) : Optional.empty();
            }
        }
    }

    /** The job an {@code UPDATE … RETURNING} of the job's {@link #columns} wrote, or empty when it matched nothing. */
    static Optional<Job> written(Connection connection, BoundSql update) throws SQLException {
        try (PreparedStatement statement = update.prepare(connection); ResultSet row = statement.executeQuery()) {
            return row.next() ? Optional.of(job(row, 1)) : Optional.empty();
        }
    }

    static Lease lease(ResultSet row, int first) throws SQLException {
        String token = row.getString(first);
        return token == null ? null : new Lease(token, instant(row, first + 1), row.getInt(first + 2));
    }

    static Instant instant(ResultSet row, int column) throws SQLException {
        return Timestamps.toInstant(row.getObject(column, OffsetDateTime.class));
    }
}
