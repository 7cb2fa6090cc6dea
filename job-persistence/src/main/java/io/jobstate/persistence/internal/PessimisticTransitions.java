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
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The pessimistic path: {@code SELECT … FOR UPDATE} through EclipseLink, the domain's decision on
 * the locked row, then the write of that decision — the job row, its history row and its outbox row —
 * by the compare-and-set statement, conditioned on the locked version, all in one transaction. The
 * lock wait is bounded with {@code SET LOCAL lock_timeout}, because EclipseLink ignores a non-zero
 * {@code jakarta.persistence.lock.timeout} on PostgreSQL; a wait that runs out is the outcome
 * {@link TransitionOutcome.LockTimedOut}, and the transaction is rolled back. Thread-safe.
 */
final class PessimisticTransitions implements TransitionPath {

    private static final String APPLIED_WITH_KEY = "SELECT " + HistoryTable.COLUMNS
            + " FROM job_history h WHERE h.job_id = ? AND h.idempotency_key = ?";

    private final Transactions transactions;
    private final String lockTimeout;

    PessimisticTransitions(Transactions transactions, Duration lockWait) {
        this.transactions = transactions;
        if (lockWait.isNegative() || lockWait.isZero() || lockWait.toMillis() > Integer.MAX_VALUE) {
            // PostgreSQL reads lock_timeout = 0 as "wait forever", and takes at most INT_MAX ms
            throw new IllegalArgumentException("lockWait must be positive and below 24 days, was " + lockWait);
        }
        this.lockTimeout = Math.max(1, lockWait.toMillis()) + "ms";
    }

    @Override
    public TransitionOutcome transition(UUID id, TransitionRequest request) {
        return transactions.inTransaction(entityManager -> transition(entityManager, id, request));
    }

    private TransitionOutcome transition(EntityManager entityManager, UUID id, TransitionRequest request) {
        Instant now = SqlWork.inTransactionOf(entityManager, connection -> boundLockWait(connection, request.result()));
        JobEntity entity;
        try {
            entity = entityManager.find(JobEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
        } catch (PessimisticLockException | LockTimeoutException e) {
            entityManager.getTransaction().setRollbackOnly();
            return new TransitionOutcome.LockTimedOut(id);
        }
        if (entity == null) {
            return new TransitionOutcome.NotFound(id);
        }
        Job current = entity.toJob();
        return SqlWork.inTransactionOf(entityManager, connection -> {
            TransitionOutcome outcome = TransitionDecision.decide(current,
                    appliedWithSameKey(connection, id, request.idempotencyKey()), request, now);
            if (outcome instanceof TransitionOutcome.Applied decided) {
                return record(connection, current, decided, request);
            }
            return outcome;
        });
    }

    /**
     * Sets the lock bound for this transaction only, reads the database clock and checks that the
     * result is storable JSON, in one round trip. The clock only feeds the decision; the stored times
     * are taken at the write (trigger jobs_guard). The result is cast here too, so JSON that jsonb
     * refuses is invalid before anything is decided — as on the compare-and-set path, whose statement
     * casts it up front.
     */
    private Instant boundLockWait(Connection connection, String result) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT set_config('lock_timeout', ?, true), now(), CAST(? AS jsonb) IS NULL")) {
            statement.setString(1, lockTimeout);
            statement.setString(2, result);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return JobTable.instant(row, 2);
            }
        }
    }

    private static Optional<HistoryEntry> appliedWithSameKey(Connection connection, UUID id, String key)
            throws SQLException {
        if (key == null) {
            return Optional.empty();
        }
        try (PreparedStatement statement = connection.prepareStatement(APPLIED_WITH_KEY)) {
            statement.setObject(1, id);
            statement.setString(2, key);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(HistoryTable.entry(row, 1)) : Optional.empty();
            }
        }
    }

    /** Writes the decision with the compare-and-set statement on the locked version: it must match. */
    private static TransitionOutcome record(Connection connection, Job current, TransitionOutcome.Applied decided,
                                            TransitionRequest request) throws SQLException {
        String newLeaseToken = decided.job().lease() == null ? null : decided.job().lease().token();
        return CompareAndSetTransitions.write(connection,
                        TransitionStatement.decided(current.id(), request, current.version(), newLeaseToken))
                .orElseThrow(() -> new IllegalStateException("job " + current.id() + " changed under its row lock"));
    }
}
