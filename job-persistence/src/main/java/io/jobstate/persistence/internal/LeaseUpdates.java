package io.jobstate.persistence.internal;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.lease.HeartbeatDecision;
import io.jobstate.jobs.lease.HeartbeatOutcome;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Heartbeats and the reaper, each one conditional statement: a heartbeat renews the lease only while
 * the job is RUNNING under the token presented; the reaper fails only jobs still RUNNING under the
 * expired lease it found (see {@link CompareAndSetStatement#reaping}). Whichever of a heartbeat, a
 * completion and the reaper writes the row first wins; the others find it changed.
 */
final class LeaseUpdates {

    private static final String RENEW = "UPDATE jobs SET lease_expires_at = clock_timestamp() + lease_seconds * interval '1 second'"
            + " WHERE id = ? AND status = 'RUNNING' AND lease_token = ? RETURNING " + JobRows.columns("jobs");
    private static final int MAX_ROUNDS = 16;

    private LeaseUpdates() {
    }

    static HeartbeatOutcome heartbeat(Connection connection, UUID id, String leaseToken) throws SQLException {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            try (PreparedStatement update = connection.prepareStatement(RENEW)) {
                update.setObject(1, id);
                update.setString(2, leaseToken);
                try (ResultSet row = update.executeQuery()) {
                    if (row.next()) {
                        return new HeartbeatOutcome.Renewed(JobRows.job(row, 1));
                    }
                }
            }
            Optional<CurrentState> state = CurrentState.read(connection, id, null);
            if (state.isEmpty()) {
                return new HeartbeatOutcome.NotFound(id);
            }
            HeartbeatOutcome outcome = HeartbeatDecision.decide(state.get().job(), leaseToken, state.get().now());
            if (!(outcome instanceof HeartbeatOutcome.Renewed)) {
                return outcome;
            }
            // the job changed between the update and the read: try again
        }
        throw new StoreUnavailableException("job " + id + " kept changing; lease not renewed, retry", null);
    }

    static List<Job> reapExpired(Connection connection, int limit) throws SQLException {
        CompareAndSetStatement statement = CompareAndSetStatement.reaping(limit, JobStore.LEASE_EXPIRED, HistoryEntry.REAPER);
        List<Job> reaped = new ArrayList<>();
        try (PreparedStatement prepared = statement.prepare(connection); ResultSet rows = prepared.executeQuery()) {
            while (rows.next()) {
                reaped.add(JobRows.job(rows, 1));
            }
        }
        return reaped;
    }
}
