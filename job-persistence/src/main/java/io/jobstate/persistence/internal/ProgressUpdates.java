package io.jobstate.persistence.internal;

import io.jobstate.jobs.progress.ProgressDecision;
import io.jobstate.jobs.progress.ProgressOutcome;
import io.jobstate.jobs.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * Progress as one conditional UPDATE (only while RUNNING under the lease token presented, never
 * backwards, version untouched; renews the lease), so
 * it can never reopen or alter a job that a concurrent transition just finished.
 */
final class ProgressUpdates {

    /** A report also renews the lease (the worker is evidently alive). */
    private static final String UPDATE = "UPDATE jobs SET progress = ?, updated_at = now(),"
            + " lease_expires_at = clock_timestamp() + lease_seconds * interval '1 second'"
            + " WHERE id = ? AND status = 'RUNNING' AND lease_token = ? AND progress <= ? RETURNING " + JobRows.columns("jobs");
    private static final int MAX_ROUNDS = 16;

    private ProgressUpdates() {
    }

    static ProgressOutcome report(Connection connection, UUID id, int progress, String leaseToken) throws SQLException {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
                update.setInt(1, progress);
                update.setObject(2, id);
                update.setString(3, leaseToken);
                update.setInt(4, progress);
                try (ResultSet row = update.executeQuery()) {
                    if (row.next()) {
                        return new ProgressOutcome.Updated(JobRows.job(row, 1));
                    }
                }
            }
            Optional<CurrentState> state = CurrentState.read(connection, id, null);
            if (state.isEmpty()) {
                return new ProgressOutcome.NotFound(id);
            }
            ProgressOutcome outcome = ProgressDecision.decide(state.get().job(), progress, leaseToken, state.get().now());
            if (!(outcome instanceof ProgressOutcome.Updated)) {
                return outcome;
            }
            // the job became RUNNING between the update and the read: update again
        }
        throw new StoreUnavailableException("job " + id + " kept changing; progress not recorded, retry", null);
    }
}
