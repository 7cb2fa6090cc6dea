package io.jobstate.persistence.retention;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.retention.JobPruner;
import io.jobstate.jobs.retention.RetentionPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The BROKEN control: a pruner as it is often first written — read the jobs due, then delete them by
 * id, without a lock and without checking again that they are still due, and report what it read as
 * deleted. A job retried between the read and the delete is deleted all the same, two of them at once
 * both report the same jobs, and its delete waits for any writer holding one of the rows. The race
 * tests must catch each of these; never use it outside them.
 */
final class NaiveSelectThenDeletePruner implements JobPruner {

    private final DataSource dataSource;
    /** Runs with the ids read, before they are deleted: lets a test put a write exactly in the pruner's window. */
    private final Consumer<List<UUID>> betweenReadAndDelete;

    NaiveSelectThenDeletePruner(DataSource dataSource) {
        this(dataSource, ids -> { });
    }

    NaiveSelectThenDeletePruner(DataSource dataSource, Consumer<List<UUID>> betweenReadAndDelete) {
        this.dataSource = dataSource;
        this.betweenReadAndDelete = betweenReadAndDelete;
    }

    @Override
    public Batch pruneBatch(RetentionPolicy policy, int limit) {
        try (Connection connection = dataSource.getConnection()) {
            List<UUID> ids = new ArrayList<>();
            Map<JobStatus, Integer> read = new EnumMap<>(JobStatus.class);
            String due = policy.pruned().stream()
                    .map(status -> "(status = '" + status + "' AND finished_at < now() - interval '"
                            + policy.retention(status).orElseThrow().toMillis() + " milliseconds')")
                    .collect(Collectors.joining(" OR "));
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, status FROM jobs WHERE " + due + " ORDER BY finished_at LIMIT ?")) {
                select.setInt(1, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getObject(1, UUID.class));
                        read.merge(JobStatus.valueOf(rows.getString(2)), 1, Integer::sum);
                    }
                }
            }
            betweenReadAndDelete.accept(List.copyOf(ids));
            connection.setAutoCommit(false);
            for (String delete : List.of("DELETE FROM job_history WHERE job_id = ANY (?)", "DELETE FROM jobs WHERE id = ANY (?)")) {
                try (PreparedStatement statement = connection.prepareStatement(delete)) {
                    statement.setObject(1, ids.toArray(UUID[]::new));
                    statement.executeUpdate();
                }
            }
            connection.commit();
            connection.setAutoCommit(true);
            return new Batch(ids.size(), read);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<JobStatus, Instant> oldestFinished() {
        throw new UnsupportedOperationException("the control only prunes");
    }
}
