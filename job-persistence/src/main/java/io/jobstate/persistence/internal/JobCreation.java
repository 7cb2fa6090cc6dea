package io.jobstate.persistence.internal;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.creation.CreateOutcome;
import io.jobstate.jobs.creation.NewJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Creates a job in one statement. With an idempotency key, {@code ON CONFLICT DO NOTHING} makes a
 * concurrent or repeated creation wait for the first one and then find it, instead of failing. The
 * unique rule holds only keys that are set (a partial unique index, V11), which the conflict target names.
 */
final class JobCreation {

    private static final String INSERT = "INSERT INTO jobs (id, type, status, version, attempt, progress, payload,"
            + " idempotency_key, request_fingerprint, created_at, updated_at)"
            + " VALUES (?, ?, 'PENDING', 0, 1, 0, CAST(? AS jsonb), ?, ?, now(), now())"
            + " ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING " + JobTable.columns("jobs");
    private static final String BY_KEY = "SELECT " + JobTable.columns("jobs") + ", request_fingerprint"
            + " FROM jobs WHERE idempotency_key = ?";

    private JobCreation() {
    }

    static CreateOutcome create(Connection connection, NewJob request) throws SQLException {
        String fingerprint = request.idempotencyKey() == null ? null : request.fingerprint();
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, request.type());
            insert.setString(3, request.payload());
            insert.setString(4, request.idempotencyKey());
            insert.setString(5, fingerprint);
            try (ResultSet row = insert.executeQuery()) {
                if (row.next()) {
                    return new CreateOutcome.Created(JobTable.job(row, 1));
                }
            }
        }
        return existing(connection, request.idempotencyKey(), fingerprint);
    }

    private static CreateOutcome existing(Connection connection, String key, String fingerprint) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(BY_KEY)) {
            select.setString(1, key);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("insert with key conflicted, yet no job has that key");
                }
                boolean sameRequest = fingerprint.equals(row.getString(JobTable.COLUMN_COUNT + 1));
                Job existing = JobTable.job(row, 1);
                // a replay answers what the original creation produced, whatever happened to the job since
                return sameRequest ? new CreateOutcome.Replayed(existing.asCreated()) : new CreateOutcome.KeyReused(existing);
            }
        }
    }
}
