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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The pessimistic path: {@code SELECT … FOR UPDATE} through EclipseLink, the domain's decision on
 * the locked row, then the row update (SQL, {@link JobRowUpdate}), the history row and the outbox
 * row (JPA), all in one transaction. The lock wait is bounded
 * with {@code SET LOCAL lock_timeout}, because EclipseLink ignores a non-zero
 * {@code jakarta.persistence.lock.timeout} on PostgreSQL; a wait that runs out is the outcome
 * {@link TransitionOutcome.LockTimedOut}, and the transaction is rolled back. Thread-safe.
 */
final class PessimisticTransitions implements TransitionPath {

    private static final String HISTORY_BY_KEY =
            "SELECT h FROM HistoryEntity h WHERE h.jobId = :jobId AND h.idempotencyKey = :key";

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
        Instant now = boundLockWait(entityManager, request.result());
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
        TransitionOutcome outcome = TransitionDecision.decide(current,
                appliedWithSameKey(entityManager, id, request.idempotencyKey()), request, now);
        if (outcome instanceof TransitionOutcome.Applied applied) {
            return new TransitionOutcome.Applied(record(entityManager, current, applied.job(), request), current.status());
        }
        return outcome;
    }

    /**
     * Sets the lock bound for this transaction only, reads the database clock and checks that the
     * result is storable JSON, in one round trip.
     * The clock only feeds the decision; the stored times are taken at the write (trigger jobs_guard).
     */
    private Instant boundLockWait(EntityManager entityManager, String result) {
        return SqlWork.inTransactionOf(entityManager, connection -> {
            // the result is cast here too, so JSON that jsonb refuses is invalid before anything is
            // decided — as on the compare-and-set path, whose statement casts it up front
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT set_config('lock_timeout', ?, true), now(), CAST(? AS jsonb) IS NULL")) {
                statement.setString(1, lockTimeout);
                statement.setString(2, result);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    return JobRows.instant(row, 2);
                }
            }
        });
    }

    private static Optional<HistoryEntry> appliedWithSameKey(EntityManager entityManager, UUID id, String key) {
        if (key == null) {
            return Optional.empty();
        }
        return entityManager.createQuery(HISTORY_BY_KEY, HistoryEntity.class)
                .setParameter("jobId", id)
                .setParameter("key", key)
                .getResultStream()
                .findFirst()
                .map(HistoryEntity::toEntry);
    }

    private static Job record(EntityManager entityManager, Job current, Job decided, TransitionRequest request) {
        Job next = SqlWork.inTransactionOf(entityManager, connection -> JobRowUpdate.write(connection, current, decided));
        String key = request.idempotencyKey();
        HistoryEntry entry = new HistoryEntry(next.version(), current.status(), next.status(), next.updatedAt(),
                next.attempt(), key, key == null ? null : request.fingerprint(), request.actor());
        entityManager.persist(new HistoryEntity(next.id(), entry, request.reason()));
        entityManager.persist(new EventEntity(next.id(), current.status(), next.status(), next.version(),
                Timestamps.toOffset(next.updatedAt())));
        entityManager.flush();
        return next;
    }
}
