package io.jobstate.persistence.internal;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.lease.HeartbeatDecision;
import io.jobstate.jobs.lease.HeartbeatOutcome;
import io.jobstate.jobs.store.JobStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
    /**
     * The reaping round's candidates are the probe's query with a limit, and had its weakness: with
     * statistics taken while few or no jobs were RUNNING, PostgreSQL read every RUNNING job's entry of
     * jobs_by_status_newest_first and sorted them (6,666 pages at 7,000 RUNNING jobs,
     * QuietStatisticsPlanIT). Without a sort, only the lease index gives them in order, so the
     * round's transaction plans without sorts, and without the JIT compilation that the cost keeping
     * sorts out would otherwise bring (V14 says the same of the probe). Two statements more (these
     * settings and the commit), paid only in a round that has expired leases to reap, not by the probe.
     */
    static final String PLANNED_IN_LEASE_ORDER = "SELECT set_config('enable_sort', 'off', true), set_config('jit', 'off', true)";

    private LeaseUpdates() {
    }

    static HeartbeatOutcome heartbeat(Connection connection, UUID id, String leaseToken) throws SQLException {
        BoundSql renew = renewal(id, leaseToken);
        return new ConditionalWrite<HeartbeatOutcome>("the lease",
                c -> ConditionalWrite.Attempted.wroteOr(JobTable.written(c, renew).map(HeartbeatOutcome.Renewed::new)),
                state -> HeartbeatDecision.decide(state.job(), leaseToken, state.now()),
                outcome -> outcome instanceof HeartbeatOutcome.Renewed,
                HeartbeatOutcome.NotFound::new)
                .run(connection, id, null);
    }

    /** The heartbeat's write: a write that leaves the expiry alone renews the lease (trigger jobs_lease_clock, V7). */
    static BoundSql renewal(UUID id, String leaseToken) {
        return BoundSql.builder()
                .append("UPDATE jobs SET updated_at = clock_timestamp()")
                .append(" WHERE id = ?", id)
                .append(JobTable.andStatusIn(Set.of(JobStatus.RUNNING)))
                .append(" AND lease_token = ?", leaseToken)
                .append(" RETURNING " + JobTable.columns("jobs"))
                .build();
    }

    /**
     * Whether any lease has expired: one auto-committed statement, every
     * {@code jobstate.lease.reaper-interval} of every instance.
     */
    static boolean anyExpired(Connection connection) throws SQLException {
        try (PreparedStatement probe = connection.prepareStatement(ANY_EXPIRED); ResultSet row = probe.executeQuery()) {
            return row.next() && row.getBoolean(1);
        }
    }

    /**
     * Fails up to {@code limit} jobs whose lease expired, in the caller's transaction, which it plans
     * first without sorts and without JIT (see {@link #PLANNED_IN_LEASE_ORDER}).
     */
    static List<Job> reapExpired(Connection connection, int limit) throws SQLException {
        planInLeaseOrder(connection);
        TransitionStatement statement = TransitionStatement.reaping(limit, JobStore.LEASE_EXPIRED, HistoryEntry.REAPER);
        List<Job> reaped = new ArrayList<>();
        try (PreparedStatement prepared = statement.prepare(connection); ResultSet rows = prepared.executeQuery()) {
            while (rows.next()) {
                reaped.add(JobTable.job(rows, 1));
            }
        }
        return reaped;
    }

    static void planInLeaseOrder(Connection connection) throws SQLException {
        if (connection.getAutoCommit()) {
            // the settings would end with this statement, and the round be planned with sorts again
            throw new IllegalStateException("the reaping round needs a transaction of its own");
        }
        try (PreparedStatement settings = connection.prepareStatement(PLANNED_IN_LEASE_ORDER)) {
            settings.execute();
        }
    }
}
