package io.jobstate.persistence.internal;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.progress.ProgressDecision;
import io.jobstate.jobs.progress.ProgressOutcome;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.UUID;

/**
 * Progress as one conditional UPDATE (only while RUNNING under the lease token presented, never
 * backwards, version untouched; renews the lease, since the worker is evidently alive), so it can
 * never reopen or alter a job that a concurrent transition just finished.
 */
final class ProgressUpdates {

    private ProgressUpdates() {
    }

    static ProgressOutcome report(Connection connection, UUID id, int progress, String leaseToken) throws SQLException {
        BoundSql update = update(id, progress, leaseToken);
        return new ConditionalWrite<ProgressOutcome>("progress",
                c -> ConditionalWrite.Attempted.wroteOr(JobTable.written(c, update).map(ProgressOutcome.Updated::new)),
                state -> ProgressDecision.decide(state.job(), progress, leaseToken, state.now()),
                outcome -> outcome instanceof ProgressOutcome.Updated,
                ProgressOutcome.NotFound::new)
                .run(connection, id, null);
    }

    /** The report's write; it renews the lease too: the expiry is left alone (trigger jobs_lease_clock, V7). */
    static BoundSql update(UUID id, int progress, String leaseToken) {
        return BoundSql.builder()
                .append("UPDATE jobs SET progress = ?, updated_at = now()", progress)
                .append(" WHERE id = ?", id)
                .append(JobTable.andStatusIn(Set.of(JobStatus.RUNNING)))
                .append(" AND lease_token = ?", leaseToken)
                .append(" AND progress <= ?", progress)
                .append(" RETURNING " + JobTable.columns("jobs"))
                .build();
    }
}
