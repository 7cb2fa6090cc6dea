package io.jobstate.persistence.internal;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.transition.TransitionDecision;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.internal.ConditionalWrite.Attempted;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The default path: one conditional UPDATE decides and writes (see {@link TransitionStatement}).
 * It is atomic on its own, so it runs in auto-commit: a transition costs one round trip, and the
 * happy path reads nothing before it writes. When the UPDATE matched no row, the same statement
 * returns the job as it read it, and the domain's decision on that row tells the caller why
 * ({@link ConditionalWrite}); a 409 costs no second statement. Thread-safe.
 */
final class CompareAndSetTransitions implements TransitionPath {

    private static final String HISTORY_KEY_CONSTRAINT = "job_history_job_id_idempotency_key_key";
    // a transition's answer starts with whether it wrote (TransitionStatement.APPLIED), then the job
    private static final int JOB = TransitionStatement.APPLIED + 1;

    private final DataSource dataSource;

    CompareAndSetTransitions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public TransitionOutcome transition(UUID id, TransitionRequest request, String traceId) {
        TransitionStatement statement = TransitionStatement.of(id, request, UUID.randomUUID().toString(), traceId);
        ConditionalWrite<TransitionOutcome> write = new ConditionalWrite<>("the transition",
                connection -> attempt(connection, statement),
                state -> TransitionDecision.decide(state.job(), state.appliedWithSameKey(), request, state.now()),
                outcome -> outcome instanceof TransitionOutcome.Applied,
                TransitionOutcome.NotFound::new);
        return SqlWork.autoCommitted(dataSource, connection -> write.run(connection, id, request.idempotencyKey()));
    }

    /**
     * Runs a transition's statement: the applied outcome when it wrote the row, else the job as the
     * statement read it (one round trip either way).
     */
    private static Attempted<TransitionOutcome> attempt(Connection connection, TransitionStatement statement)
            throws SQLException {
        try (PreparedStatement prepared = statement.prepare(connection); ResultSet row = prepared.executeQuery()) {
            if (!row.next()) {
                return new Attempted.Explained<>(Optional.empty());
            }
            if (row.getBoolean(TransitionStatement.APPLIED)) {
                return new Attempted.Wrote<>(applied(row));
            }
            // the job, its previous status, then the entry and the clock
            return new Attempted.Explained<>(Optional.of(CurrentState.of(row, JOB, JOB + JobTable.COLUMN_COUNT + 1)));
        } catch (SQLException e) {
            if (Failures.isUniqueViolation(e, HISTORY_KEY_CONSTRAINT)) {
                // A concurrent request with the same key committed after this statement's snapshot was
                // taken; the statement failed whole. Read now, the key is seen as replay or reuse.
                return new Attempted.Unexplained<>();
            }
            throw e;
        }
    }

    /** Runs a decided transition's statement (the row is locked: it must match); the applied outcome when it wrote. */
    static Optional<TransitionOutcome> write(Connection connection, TransitionStatement statement) throws SQLException {
        try (PreparedStatement prepared = statement.prepare(connection); ResultSet row = prepared.executeQuery()) {
            return row.next() ? Optional.of(applied(row)) : Optional.empty();
        }
    }

    // the answer holds the job's columns, then the status it left
    private static TransitionOutcome.Applied applied(ResultSet row) throws SQLException {
        JobStatus from = JobStatus.valueOf(row.getString(JOB + JobTable.COLUMN_COUNT));
        return new TransitionOutcome.Applied(JobTable.job(row, JOB), from);
    }
}
