package io.jobstate.persistence.internal;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.retention.JobPruner;
import io.jobstate.jobs.retention.RetentionPolicy;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * {@link JobPruner} on PostgreSQL: a batch is a read of the jobs due ({@link RetentionStatements#due}),
 * then, when there are any, one statement in auto-commit that deletes those still due with their
 * history ({@link RetentionStatements#delete}). Only DML, on pooled connections: a batch holds its
 * row locks for one statement and never waits for another writer's. Thread-safe.
 */
public final class PostgresJobPruner implements JobPruner {

    private final DataSource dataSource;

    public PostgresJobPruner(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource is required");
    }

    @Override
    public Batch pruneBatch(RetentionPolicy policy, int limit) {
        Objects.requireNonNull(policy, "policy is required");
        if (limit < 1 || limit > MAX_BATCH) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_BATCH + ": " + limit);
        }
        if (policy.pruned().isEmpty()) {
            return new Batch(0, Map.of());
        }
        return SqlWork.autoCommitted(dataSource, connection -> {
            List<UUID> due = new ArrayList<>();
            try (PreparedStatement statement = RetentionStatements.due(policy, limit).prepare(connection);
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    due.add(rows.getObject(1, UUID.class));
                }
            }
            if (due.isEmpty()) {
                return new Batch(0, Map.of());
            }
            Map<JobStatus, Integer> deleted = new EnumMap<>(JobStatus.class);
            try (PreparedStatement statement = RetentionStatements.delete(policy, due).prepare(connection);
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    deleted.put(JobStatus.valueOf(rows.getString(1)), rows.getInt(2));
                }
            }
            return new Batch(due.size(), deleted);
        });
    }

    @Override
    public Map<JobStatus, Instant> oldestFinished() {
        return SqlWork.autoCommitted(dataSource, connection -> {
            Map<JobStatus, Instant> oldest = new EnumMap<>(JobStatus.class);
            try (PreparedStatement statement = connection.prepareStatement(RetentionStatements.OLDEST_FINISHED);
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Instant finished = JobTable.instant(rows, 2);
                    if (finished != null) {
                        oldest.put(JobStatus.valueOf(rows.getString(1)), finished);
                    }
                }
            }
            return oldest;
        });
    }
}
