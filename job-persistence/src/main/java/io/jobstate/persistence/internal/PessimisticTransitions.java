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
 * by the compare-and-set statement, conditioned on the locked version, all in one transaction. The
 * lock wait is bounded by the session's {@code lock_timeout}, which the data source sets on every
 * connection ({@link io.jobstate.persistence.DatabaseBounds}; EclipseLink ignores a non-zero
 * {@code jakarta.persistence.lock.timeout} on PostgreSQL). A wait that runs out is a
 * {@link RowLockTimeout}, and the transaction is rolled back. Thread-safe.
 */
final class PessimisticTransitions implements TransitionPath {

    private static final String APPLIED_WITH_KEY = "SELECT " + HistoryTable.COLUMNS
            + " FROM job_history h WHERE h.job_id = ? AND h.idempotency_key = ?";

    private final Transactions transactions;

    PessimisticTransitions(Transactions transactions) {
        this.transactions = transactions;
    }

    @Override
    public TransitionOutcome transition(UUID id, TransitionRequest request, String traceId) {
        return transactions.inTransaction(entityManager -> transition(entityManager, id, request, traceId));
    }

    private TransitionOutcome transition(EntityManager entityManager, UUID id, TransitionRequest request, String traceId) {
        Instant now = SqlWork.inTransactionOf(entityManager, connection -> clockAndStorableResult(connection, request.result()));
        JobEntity entity;
        try {
            entity = entityManager.find(JobEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
        } catch (PessimisticLockException | LockTimeoutException e) {
            throw new RowLockTimeout("job " + id + ": its row lock was not granted within lock_timeout", e);
        }
        if (entity == null) {
            return new TransitionOutcome.NotFound(id);
        }
        Job current = entity.toJob();
        return SqlWork.inTransactionOf(entityManager, connection -> {
            TransitionOutcome outcome = TransitionDecision.decide(current,
                    appliedWithSameKey(connection, id, request.idempotencyKey()), request, now);
            if (outcome instanceof TransitionOutcome.Applied decided) {
                return record(connection, current, decided, request, traceId);
            }
            return outcome;
        });
    }

    /**
     * Reads the database clock and checks that the result is storable JSON, in one round trip. The
     * clock only feeds the decision; the stored times
     * are taken at the write (trigger jobs_guard). The result is cast here too, so JSON that jsonb
     * refuses is invalid before anything is decided — as on the compare-and-set path, whose statement
     * casts it up front.
     */
    private static Instant clockAndStorableResult(Connection connection, String result) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT now(), CAST(? AS jsonb) IS NULL")) {
            statement.setString(1, result);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return JobTable.instant(row, 1);
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
                                            TransitionRequest request, String traceId) throws SQLException {
        String newLeaseToken = decided.job().lease() == null ? null : decided.job().lease().token();
        return CompareAndSetTransitions.write(connection,
                        TransitionStatement.decided(current.id(), request, current.version(), newLeaseToken, traceId))
                .orElseThrow(() -> new IllegalStateException("job " + current.id() + " changed under its row lock"));
    }
}
