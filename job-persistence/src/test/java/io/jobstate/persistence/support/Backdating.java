package io.jobstate.persistence.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.UUID;

/**
 * Moves what the database recorded of some jobs (their times, their history's and their events')
 * back in time, as if they had happened that much earlier: retention tests need jobs that finished
 * days ago. Times are the database's own (trigger jobs_guard sets them and refuses any change to a
 * finished job), so this runs with triggers off ({@code session_replication_role = replica}) for its
 * own transaction only.
 */
public final class Backdating {

    private Backdating() {
    }

    public static void backdate(Connection connection, Collection<UUID> jobs, Duration earlier) throws SQLException {
        String interval = earlier.toMillis() + " milliseconds";
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement replica = connection.createStatement()) {
            replica.execute("SET LOCAL session_replication_role = replica");
            UUID[] ids = jobs.toArray(UUID[]::new);
            update(connection, "UPDATE jobs SET created_at = created_at - CAST(? AS interval), updated_at = updated_at - CAST(? AS interval),"
                    + " started_at = started_at - CAST(? AS interval), finished_at = finished_at - CAST(? AS interval)"
                    + " WHERE id = ANY (?)", interval, 4, ids);
            update(connection, "UPDATE job_history SET at = at - CAST(? AS interval), started_at = started_at - CAST(? AS interval),"
                    + " finished_at = finished_at - CAST(? AS interval) WHERE job_id = ANY (?)", interval, 3, ids);
            update(connection, "UPDATE job_events SET at = at - CAST(? AS interval) WHERE job_id = ANY (?)", interval, 1, ids);
            update(connection, "UPDATE event_outbox SET at = at - CAST(? AS interval) WHERE job_id = ANY (?)", interval, 1, ids);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static void update(Connection connection, String sql, String interval, int intervals, UUID[] ids) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 1; i <= intervals; i++) {
                statement.setString(i, interval);
            }
            statement.setArray(intervals + 1, connection.createArrayOf("uuid", ids));
            statement.executeUpdate();
        }
    }
}
