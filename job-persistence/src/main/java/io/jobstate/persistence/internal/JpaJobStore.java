package io.jobstate.persistence.internal;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.Violation;
import io.jobstate.jobs.creation.CreateOutcome;
import io.jobstate.jobs.creation.NewJob;
import io.jobstate.jobs.listing.JobPage;
import io.jobstate.jobs.listing.JobQuery;
import io.jobstate.jobs.progress.ProgressDecision;
import io.jobstate.jobs.progress.ProgressOutcome;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.LockingPath;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link JobStore} on PostgreSQL through EclipseLink. Reads, creation and progress are shared; the
 * transition goes through the configured {@link LockingPath}. Thread-safe: every call runs in its own
 * transaction with its own entity manager.
 */
public final class JpaJobStore implements JobStore {

    private static final String HISTORY_CONSTRAINT = "job_history_job_id_idempotency_key_key";
    private static final String HISTORY = "SELECT h FROM HistoryEntity h WHERE h.jobId = :jobId ORDER BY h.version";

    private final Transactions transactions;
    private final TransitionPath transitions;

    public JpaJobStore(EntityManagerFactory factory, LockingPath path, Duration lockWait) {
        this.transactions = new Transactions(Objects.requireNonNull(factory, "factory is required"));
        this.transitions = switch (Objects.requireNonNull(path, "path is required")) {
            case CAS -> new CompareAndSetTransitions();
            case PESSIMISTIC -> new PessimisticTransitions(lockWait);
        };
    }

    @Override
    public CreateOutcome create(NewJob request) {
        List<Violation> violations = request.violations();
        if (!violations.isEmpty()) {
            return new CreateOutcome.Invalid(violations);
        }
        return transactions.inTransaction(em -> SqlWork.on(em, connection -> JobCreation.create(connection, request)));
    }

    @Override
    public Optional<Job> find(UUID id) {
        return transactions.inTransaction(em -> Optional.ofNullable(em.find(JobEntity.class, id)).map(JobEntity::toJob));
    }

    @Override
    public JobPage list(JobQuery query) {
        if (!query.violations().isEmpty()) {
            throw new IllegalArgumentException("invalid query: " + query.violations());
        }
        return transactions.inTransaction(em -> SqlWork.on(em, connection -> JobListing.list(connection, query)));
    }

    @Override
    public Optional<List<HistoryEntry>> history(UUID id) {
        return transactions.inTransaction(em -> {
            List<HistoryEntry> entries = em.createQuery(HISTORY, HistoryEntity.class)
                    .setParameter("jobId", id)
                    .getResultStream()
                    .map(HistoryEntity::toEntry)
                    .toList();
            if (entries.isEmpty() && em.find(JobEntity.class, id) == null) {
                return Optional.empty();
            }
            return Optional.of(entries);
        });
    }

    @Override
    public TransitionOutcome transition(UUID id, TransitionRequest request) {
        List<Violation> violations = request.violations();
        if (!violations.isEmpty()) {
            return new TransitionOutcome.Invalid(violations);
        }
        try {
            return transactions.inTransaction(em -> transitions.transition(em, id, request));
        } catch (PersistenceException e) {
            if (!Failures.violates(e, HISTORY_CONSTRAINT)) {
                throw e;
            }
            // A concurrent request with the same key committed between our check and our insert.
            // Running again, the key is visible and the request is answered as replay or reuse.
            return transactions.inTransaction(em -> transitions.transition(em, id, request));
        }
    }

    @Override
    public ProgressOutcome reportProgress(UUID id, int progress) {
        List<Violation> violations = ProgressDecision.violations(progress);
        if (!violations.isEmpty()) {
            return new ProgressOutcome.Invalid(violations);
        }
        return transactions.inTransaction(em -> SqlWork.on(em, connection -> ProgressUpdates.report(connection, id, progress)));
    }
}
