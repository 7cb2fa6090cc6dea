package io.jobstate.persistence.internal;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.store.StoreUnavailableException;
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
 * The default path: one conditional UPDATE decides and writes (see {@link CompareAndSetStatement}).
 * It is atomic on its own, so it runs in auto-commit: an applied transition costs one round trip,
 * and the happy path reads nothing before it writes. Only when the UPDATE matched no row is the
 * job read, once, to tell the caller why, with the domain's decision on the current row.
 * Thread-safe.
 */
final class CompareAndSetTransitions implements TransitionPath {

    private static final String HISTORY_KEY_CONSTRAINT = "job_history_job_id_idempotency_key_key";

    /**
     * How often to write again when the job, read after a write that matched nothing, turns out to
     * accept the request after all (another transition landed in between). Each round needs another
     * writer to commit on the same job, so this is reached only under extreme contention.
     */
    private static final int MAX_ROUNDS = 16;

    private final DataSource dataSource;

    CompareAndSetTransitions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public TransitionOutcome transition(UUID id, TransitionRequest request) {
        return SqlWork.autoCommitted(dataSource, connection -> transition(connection, id, request));
    }

    private static TransitionOutcome transition(Connection connection, UUID id, TransitionRequest request)
            throws SQLException {
        CompareAndSetStatement statement = CompareAndSetStatement.of(id, request);
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Optional<TransitionOutcome> applied = write(connection, statement);
            if (applied.isPresent()) {
                return applied.get();
            }
            Optional<CurrentState> state = CurrentState.read(connection, id, request.idempotencyKey());
            if (state.isEmpty()) {
                return new TransitionOutcome.NotFound(id);
            }
            TransitionOutcome outcome = TransitionDecision.decide(state.get().job(),
                    state.get().appliedWithSameKey(), request, state.get().now());
            if (!(outcome instanceof TransitionOutcome.Applied)) {
                return outcome;
            }
        }
        throw new StoreUnavailableException("job " + id + " kept changing; nothing was written, retry", null);
    }

    private static Optional<TransitionOutcome> write(Connection connection, CompareAndSetStatement statement)
            throws SQLException {
        try (PreparedStatement prepared = statement.prepare(connection); ResultSet row = prepared.executeQuery()) {
            if (row.next()) {
                // the statement returns the job's columns, then the status it left
                JobStatus from = JobStatus.valueOf(row.getString(JobRows.COLUMN_COUNT + 1));
                return Optional.of(new TransitionOutcome.Applied(JobRows.job(row, 1), from));
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
