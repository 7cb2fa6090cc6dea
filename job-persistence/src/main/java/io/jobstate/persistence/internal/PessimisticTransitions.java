package io.jobstate.persistence.internal;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.transition.TransitionDecision;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.PessimisticLockException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The pessimistic path: {@code SELECT … FOR UPDATE} through EclipseLink, the domain's decision on
 * the locked row, then the write of that decision — the job row, its history row and its outbox row —
 * by the compare-and-set statement, conditioned on the locked version, all in one transaction: three
 * round trips and the commit, with or without an {@code Idempotency-Key}. The lock wait is bounded by
 * the session's {@code lock_timeout}, which the data source sets on every connection
 * ({@link io.jobstate.persistence.DatabaseBounds}; EclipseLink ignores a non-zero
 * {@code jakarta.persistence.lock.timeout} on PostgreSQL). A wait that runs out is a
 * {@link RowLockTimeout}, and the transaction is rolled back. Thread-safe.
 */
final class PessimisticTransitions implements TransitionPath {

    /**
     * What the decision needs besides the row when the request has no key: the database clock (the
     * transaction's, now()) and whether jsonb stores the result, read before the lock, so that the
     * lock is held across the write and the commit only.
     */
    private static final String CLOCK_AND_STORABLE = "SELECT now(), CAST(? AS jsonb) IS NULL";
    /**
     * The same with the history entry of the request's key, read once the row is locked, so that a
     * request with the same key cannot commit between this read and the write: one round trip under
     * the lock instead of the key's read there and the clock's before it.
     */
    private static final String CLOCK_STORABLE_AND_KEY = CLOCK_AND_STORABLE + ", " + HistoryTable.COLUMNS
            + " FROM (SELECT 1) one LEFT JOIN job_history h ON h.job_id = ? AND h.idempotency_key = ?";

    private final Transactions transactions;

    PessimisticTransitions(Transactions transactions) {
        this.transactions = transactions;
    }

    @Override
    public TransitionOutcome transition(UUID id, TransitionRequest request, String traceId) {
        return transactions.inTransaction(entityManager -> transition(entityManager, id, request, traceId));
    }

    private TransitionOutcome transition(EntityManager entityManager, UUID id, TransitionRequest request, String traceId) {
        boolean keyed = request.idempotencyKey() != null;
        DecisionInputs beforeTheLock = keyed ? null
                : SqlWork.inTransactionOf(entityManager, connection -> DecisionInputs.read(connection, id, request));
        JobEntity entity;
        try {
            entity = entityManager.find(JobEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
        } catch (PessimisticLockException | LockTimeoutException e) {
            throw new RowLockTimeout("job " + id + ": its row lock was not granted within lock_timeout", e);
        }
        return SqlWork.inTransactionOf(entityManager, connection -> {
            DecisionInputs inputs = keyed ? DecisionInputs.read(connection, id, request) : beforeTheLock;
            if (entity == null) {
                return new TransitionOutcome.NotFound(id);
            }
            Job current = entity.toJob();
            TransitionOutcome outcome = TransitionDecision.decide(current, inputs.appliedWithSameKey(), request, inputs.now());
            if (outcome instanceof TransitionOutcome.Applied decided) {
                return record(connection, current, decided, request, traceId);
            }
            return outcome;
        });
    }

    /**
     * The clock and the key's entry, read in one round trip, which also fails when jsonb refuses the
     * result (so that such a result is invalid before anything is decided, also for a job that does
     * not exist, as on the compare-and-set path).
     */
    private record DecisionInputs(Instant now, Optional<HistoryEntry> appliedWithSameKey) {

        static DecisionInputs read(Connection connection, UUID id, TransitionRequest request) throws SQLException {
            boolean keyed = request.idempotencyKey() != null;
            try (PreparedStatement statement = connection.prepareStatement(keyed ? CLOCK_STORABLE_AND_KEY : CLOCK_AND_STORABLE)) {
                statement.setString(1, request.result());
                if (keyed) {
                    statement.setObject(2, id);
                    statement.setString(3, request.idempotencyKey());
                }
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    return new DecisionInputs(JobTable.instant(row, 1),
                            keyed ? Optional.ofNullable(HistoryTable.entry(row, 3)) : Optional.empty());
                }
            }
        }
    }

    /** Writes the decision with the compare-and-set statement on the locked version: it must match. */
    private static TransitionOutcome record(Connection connection, Job current, TransitionOutcome.Applied decided,
                                            TransitionRequest request, String traceId) throws SQLException {
        String newLeaseToken = decided.job().lease() == null ? null : decided.job().lease().token();
        return CompareAndSetTransitions.write(connection,
                        TransitionStatement.decided(current.id(), request, current.version(), newLeaseToken, traceId))
                .orElseThrow(() -> new IllegalStateException("job " + current.id() + " changed under its row lock"));
    }
}
