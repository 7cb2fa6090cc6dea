package io.jobstate.persistence.internal;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.Violation;
import io.jobstate.jobs.claim.ClaimOutcome;
import io.jobstate.jobs.claim.ClaimRequest;
import io.jobstate.jobs.counts.StatusCounts;
import io.jobstate.jobs.creation.CreateOutcome;
import io.jobstate.jobs.creation.NewJob;
import io.jobstate.jobs.history.HistoryPage;
import io.jobstate.jobs.history.HistoryQuery;
import io.jobstate.jobs.lease.HeartbeatDecision;
import io.jobstate.jobs.lease.HeartbeatOutcome;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * {@link JobStore} on PostgreSQL. Every operation but the pessimistic transition is a single SQL
 * statement in auto-commit (reading one job too: through EclipseLink the read cost a tenth of an
 * authenticated GET's CPU, measured with JFR); the transition goes through the configured
 * {@link LockingPath}, the pessimistic one locking through EclipseLink. The writes of an existing job
 * (transitions, progress, heartbeats) take their turn in a {@link JobWriterQueue} first, so that
 * requests waiting for a held job hold no pooled connection. Thread-safe: every call has its own
 * connection or entity manager.
 */
public final class PostgresJobStore implements JobStore {

    private static final Violation REJECTED_BY_DATABASE = new Violation("body",
            "contains a value PostgreSQL cannot store (for example \\u0000 in JSON)");
    /**
     * One statement tells an unknown job (no row) from a page without entries (one row of NULLs); one
     * entry more than asked tells whether another page follows. The page is a range of the history's
     * primary key (job, version).
     */
    private static final String HISTORY = "SELECT " + HistoryTable.COLUMNS + " FROM jobs j LEFT JOIN LATERAL ("
            + "SELECT * FROM job_history WHERE job_id = j.id AND version > ? ORDER BY version LIMIT ?) h ON true"
            + " WHERE j.id = ? ORDER BY h.version";

    private final DataSource dataSource;
    private final Transactions transactions;
    private final TransitionPath transitions;
    private final JobWriterQueue writers;
    private final Supplier<String> traceIds;

    /** {@code lockWait} must be the data source's {@code lock_timeout}: a write waits at most that for its turn. */
    public PostgresJobStore(DataSource dataSource, EntityManagerFactory factory, LockingPath path, Duration lockWait) {
        this(dataSource, factory, path, lockWait, () -> null);
    }

    /**
     * {@code traceIds} gives the trace id of the calling thread's request (32 lower-case hex digits)
     * or {@code null}; a transition's event records it.
     */
    public PostgresJobStore(DataSource dataSource, EntityManagerFactory factory, LockingPath path, Duration lockWait,
                            Supplier<String> traceIds) {
        this.traceIds = Objects.requireNonNull(traceIds, "traceIds is required");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource is required");
        this.transactions = new Transactions(Objects.requireNonNull(factory, "factory is required"));
        this.transitions = switch (Objects.requireNonNull(path, "path is required")) {
            case CAS -> new CompareAndSetTransitions(dataSource);
            case PESSIMISTIC -> new PessimisticTransitions(transactions);
        };
        if (lockWait.isNegative() || lockWait.isZero()) {
            throw new IllegalArgumentException("lockWait must be positive, was " + lockWait);
        }
        this.writers = new JobWriterQueue(lockWait);
    }

    @Override
    public CreateOutcome create(NewJob request) {
        List<Violation> violations = request.violations();
        if (!violations.isEmpty()) {
            return new CreateOutcome.Invalid(violations);
        }
        try {
            return withConnection(connection -> JobCreation.create(connection, request));
        } catch (PersistenceException e) {
            if (Failures.isDataRejected(e)) {
                return new CreateOutcome.Invalid(List.of(REJECTED_BY_DATABASE));
            }
            throw e;
        }
    }

    @Override
    public Optional<Job> find(UUID id) {
        return withConnection(connection -> JobTable.find(connection, id));
    }

    @Override
    public JobPage list(JobQuery query) {
        if (!query.violations().isEmpty()) {
            throw new IllegalArgumentException("invalid query: " + query.violations());
        }
        return withConnection(connection -> JobListing.list(connection, query));
    }

    @Override
    public StatusCounts counts() {
        return withConnection(StatusCounting::read);
    }

    @Override
    public Optional<HistoryPage> history(UUID id, HistoryQuery query) {
        if (!query.violations().isEmpty()) {
            throw new IllegalArgumentException("invalid query: " + query.violations());
        }
        return withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(HISTORY)) {
                statement.setLong(1, query.after());
                statement.setInt(2, query.limit() + 1);
                statement.setObject(3, id);
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    List<HistoryEntry> entries = new ArrayList<>();
                    do {
                        HistoryEntry entry = HistoryTable.entry(rows, 1);
                        if (entry != null) {
                            entries.add(entry);
                        }
                    } while (rows.next());
                    boolean more = entries.size() > query.limit();
                    return Optional.of(new HistoryPage(more ? entries.subList(0, query.limit()) : entries, more));
                }
            }
        });
    }

    @Override
    public TransitionOutcome transition(UUID id, TransitionRequest request) {
        List<Violation> violations = request.violations();
        if (!violations.isEmpty()) {
            return new TransitionOutcome.Invalid(violations);
        }
        try {
            return writers.inTurn(id, () -> transitions.transition(id, request, traceIds.get()));
        } catch (RowLockTimeout e) {
            return new TransitionOutcome.LockTimedOut(id);
        } catch (PersistenceException e) {
            if (Failures.isDataRejected(e)) {
                return new TransitionOutcome.Invalid(List.of(REJECTED_BY_DATABASE));
            }
            throw e;
        }
    }

    @Override
    public ClaimOutcome claim(ClaimRequest request) {
        List<Violation> violations = request.violations();
        if (!violations.isEmpty()) {
            return new ClaimOutcome.Invalid(violations);
        }
        // no turn in the writer queue: the job is not known yet, and SKIP LOCKED never waits for a row
        return withConnection(connection -> Claims.claim(connection, request, traceIds.get()));
    }

    @Override
    public ProgressOutcome reportProgress(UUID id, int progress, String leaseToken) {
        List<Violation> violations = ProgressDecision.violations(progress, leaseToken);
        if (!violations.isEmpty()) {
            return new ProgressOutcome.Invalid(violations);
        }
        return writers.inTurn(id, () -> withConnection(connection -> ProgressUpdates.report(connection, id, progress, leaseToken)));
    }

    @Override
    public HeartbeatOutcome heartbeat(UUID id, String leaseToken) {
        List<Violation> violations = HeartbeatDecision.violations(leaseToken);
        if (!violations.isEmpty()) {
            return new HeartbeatOutcome.Invalid(violations);
        }
        return writers.inTurn(id, () -> withConnection(connection -> LeaseUpdates.heartbeat(connection, id, leaseToken)));
    }

    @Override
    public List<Job> reapExpiredLeases(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        if (!withConnection(LeaseUpdates::anyExpired)) {
            return List.of();
        }
        return SqlWork.inOwnTransaction(dataSource, connection -> LeaseUpdates.reapExpired(connection, limit));
    }

    private <T> T withConnection(SqlWork<T> work) {
        return SqlWork.autoCommitted(dataSource, work);
    }
}
