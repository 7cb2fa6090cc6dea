package io.jobstate.persistence.internal;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.lease.HeartbeatDecision;
import io.jobstate.jobs.lease.HeartbeatOutcome;
import io.jobstate.jobs.store.JobStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Heartbeats and the reaper, each one conditional statement: a heartbeat renews the lease only while
 * the job is RUNNING under the token presented; the reaper fails only jobs still RUNNING under the
 * expired lease it found (see {@link TransitionStatement#reaping}). Whichever of a heartbeat, a
 * completion and the reaper writes the row first wins; the others find it changed.
 */
final class LeaseUpdates {

    /**
     * Whether any lease has expired, so that an idle reaper writes and locks nothing: the first entry of
     * the reaper's index (jobs_expiring_leases) in its order, a few pages whatever the number of jobs
     * and whatever the statistics (function jobs_lease_expired, V14, says why it is a function).
     * Asked as "does one exist", PostgreSQL could not bound the volatile clock by the index and read
     * the whole table instead: 340 pages a probe at 20,000 jobs, every
     * {@code jobstate.lease.reaper-interval} (ReaperProbeIT).
     */
    static final String ANY_EXPIRED = "SELECT jobs_lease_expired()";

    private LeaseUpdates() {
    }

    static HeartbeatOutcome heartbeat(Connection connection, UUID id, String leaseToken) throws SQLException {
        BoundSql renew = BoundSql.builder()
                // a write that leaves the expiry alone renews the lease (trigger jobs_lease_clock, V7)
                .append("UPDATE jobs SET updated_at = clock_timestamp()")
                .append(" WHERE id = ?", id)
                .append(" AND status = 'RUNNING' AND lease_token = ?", leaseToken)
                .append(" RETURNING " + JobTable.columns("jobs"))
                .build();
        return new ConditionalWrite<HeartbeatOutcome>("the lease",
                c -> ConditionalWrite.Attempted.wroteOr(JobTable.written(c, renew).map(HeartbeatOutcome.Renewed::new)),
                state -> HeartbeatDecision.decide(state.job(), leaseToken, state.now()),
                outcome -> outcome instanceof HeartbeatOutcome.Renewed,
                HeartbeatOutcome.NotFound::new)
                .run(connection, id, null);
    }

    static List<Job> reapExpired(Connection connection, int limit) throws SQLException {
        try (PreparedStatement probe = connection.prepareStatement(ANY_EXPIRED); ResultSet row = probe.executeQuery()) {
            if (!row.next() || !row.getBoolean(1)) {
                return List.of();
            }
        }
        TransitionStatement statement = TransitionStatement.reaping(limit, JobStore.LEASE_EXPIRED, HistoryEntry.REAPER);
        List<Job> reaped = new ArrayList<>();
        try (PreparedStatement prepared = statement.prepare(connection); ResultSet rows = prepared.executeQuery()) {
            while (rows.next()) {
                reaped.add(JobTable.job(rows, 1));
            }
        }
        return reaped;
    }
}
