package io.jobstate.persistence.internal;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.transition.TransitionDecision;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The default path: one conditional UPDATE decides and writes (see {@link TransitionStatement}).
 * It is atomic on its own, so it runs in auto-commit: an applied transition costs one round trip,
 * and the happy path reads nothing before it writes. Only when the UPDATE matched no row is the
 * job read, once, to tell the caller why, with the domain's decision on the current row
 * ({@link ConditionalWrite}). Thread-safe.
 */
final class CompareAndSetTransitions implements TransitionPath {

    private static final String HISTORY_KEY_CONSTRAINT = "job_history_job_id_idempotency_key_key";

    private final DataSource dataSource;

    CompareAndSetTransitions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public TransitionOutcome transition(UUID id, TransitionRequest request, String traceId) {
        TransitionStatement statement = TransitionStatement.of(id, request, UUID.randomUUID().toString(), traceId);
        ConditionalWrite<TransitionOutcome> write = new ConditionalWrite<>("the transition",
                connection -> write(connection, statement),
                state -> TransitionDecision.decide(state.job(), state.appliedWithSameKey(), request, state.now()),
                outcome -> outcome instanceof TransitionOutcome.Applied,
                TransitionOutcome.NotFound::new);
        return SqlWork.autoCommitted(dataSource, connection -> write.run(connection, id, request.idempotencyKey()));
    }

    /** Runs the statement; the applied outcome when it wrote the row. Also used for decided writes under a lock. */
    static Optional<TransitionOutcome> write(Connection connection, TransitionStatement statement)
            throws SQLException {
        try (PreparedStatement prepared = statement.prepare(connection); ResultSet row = prepared.executeQuery()) {
            if (row.next()) {
                // the statement returns the job's columns, then the status it left
                JobStatus from = JobStatus.valueOf(row.getString(JobTable.COLUMN_COUNT + 1));
                return Optional.of(new TransitionOutcome.Applied(JobTable.job(row, 1), from));
            }
            return Optional.empty();
        } catch (SQLException e) {
            if (Failures.isUniqueViolation(e, HISTORY_KEY_CONSTRAINT)) {
                // A concurrent request with the same key committed after this statement's snapshot
                // was taken; the statement failed whole. Read now, the key is seen as replay or reuse.
                return Optional.empty();
            }
            throw e;
        }
    }
}
