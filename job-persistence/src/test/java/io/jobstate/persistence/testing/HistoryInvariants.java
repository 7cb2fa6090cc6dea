package io.jobstate.persistence.testing;

import io.jobstate.jobs.JobStatus;
import io.jobstate.persistence.testing.StoredJobs.EventRow;
import io.jobstate.persistence.testing.StoredJobs.HistoryRow;
import io.jobstate.persistence.testing.StoredJobs.JobRow;
import io.jobstate.persistence.testing.StoredJobs.State;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The invariants the database must hold for jobs after any run, whoever drove them and however (the
 * checkers of a storm add what is particular to what their callers were told). Each broken invariant
 * is returned as a sentence naming the job, the version and what was found:
 * <ol>
 *   <li>every job asked for has a row;</li>
 *   <li>every history is a legal path of the state machine ({@link JobStatus}): versions 1, 2, 3 …
 *       without gaps, starting at PENDING, each {@code from} the previous {@code to};</li>
 *   <li>the attempt starts at 1 and rises by one exactly on FAILED → QUEUED;</li>
 *   <li>history times never run backwards;</li>
 *   <li>a row the lease reaper wrote is RUNNING → FAILED and carries no Idempotency-Key;</li>
 *   <li>every row records the job's state as its transition left it (schema V4);</li>
 *   <li>each job row equals its last history row (status, version, attempt; PENDING at version 0 and
 *       attempt 1 without history), and the state that row recorded: the fields only transitions set
 *       (result, error, started and finished times, lease token and length), and all of them when
 *       the job is not RUNNING — progress reports and heartbeats change a RUNNING job's progress and
 *       lease expiry without a history row, and nothing else;</li>
 *   <li>the outbox holds exactly the history, per job in version order (the order the outbox was
 *       written in).</li>
 * </ol>
 * Not thread-safe; {@link #check} uses an instance of its own per call.
 */
public final class HistoryInvariants {

    private final List<String> violations = new ArrayList<>();

    private HistoryInvariants() {
    }

    /** The violations found; empty when every invariant holds. */
    public static List<String> check(StoredJobs stored) {
        HistoryInvariants invariants = new HistoryInvariants();
        List<UUID> missing = stored.ids().stream().filter(id -> !stored.jobs().containsKey(id)).toList();
        if (!missing.isEmpty()) {
            invariants.fail("%d of the %d jobs are missing from the database, e.g. %s", missing.size(),
                    stored.ids().size(), missing.getFirst());
        }
        stored.jobs().forEach((id, job) -> {
            List<HistoryRow> history = stored.history(id);
            invariants.checkPath(id, history);
            invariants.checkJobRow(id, job, history.isEmpty() ? null : history.getLast());
            invariants.checkOutbox(id, history, stored.events(id));
        });
        return List.copyOf(invariants.violations);
    }

    private void checkPath(UUID id, List<HistoryRow> history) {
        HistoryRow previous = null;
        for (int i = 0; i < history.size(); i++) {
            HistoryRow row = history.get(i);
            JobStatus reached = previous == null ? JobStatus.PENDING : previous.to();
            int attempt = previous == null ? 1 : previous.attempt();
            if (row.version() != i + 1) {
                fail("job %s history has version %d at position %d", id, row.version(), i + 1);
            }
            if (row.from() != reached || !row.from().canTransitionTo(row.to())) {
                fail("job %s history moves %s -> %s after reaching %s (version %d)", id, row.from(), row.to(), reached,
                        row.version());
            }
            int expectedAttempt = JobStatus.isRetry(row.from(), row.to()) ? attempt + 1 : attempt;
            if (row.attempt() != expectedAttempt) {
                fail("job %s version %d (%s -> %s) records attempt %d, expected %d", id, row.version(), row.from(),
                        row.to(), row.attempt(), expectedAttempt);
            }
            if (previous != null && row.at().isBefore(previous.at())) {
                fail("job %s version %d is recorded at %s, before version %d at %s", id, row.version(), row.at(),
                        previous.version(), previous.at());
            }
            if (row.reaped() && (row.from() != JobStatus.RUNNING || row.to() != JobStatus.FAILED || row.key() != null)) {
                fail("job %s: the reaper made %s, not an expired run's RUNNING -> FAILED without a key", id, row);
            }
            if (row.state().progress() == null) {
                fail("job %s version %d records no state after its transition", id, row.version());
            }
            previous = row;
        }
    }

    private void checkJobRow(UUID id, JobRow job, HistoryRow last) {
        JobStatus status = last == null ? JobStatus.PENDING : last.to();
        long version = last == null ? 0 : last.version();
        int attempt = last == null ? 1 : last.attempt();
        if (job.status() != status || job.version() != version || job.attempt() != attempt) {
            fail("job %s row (%s, version %d, attempt %d) is not its history's end (%s, version %d, attempt %d)", id,
                    job.status(), job.version(), job.attempt(), status, version, attempt);
        }
        if (last == null || last.state().progress() == null) {
            return;
        }
        boolean reportsMayFollow = job.status() == JobStatus.RUNNING;
        State held = reportsMayFollow ? job.state().setByTransitions() : job.state();
        State recorded = reportsMayFollow ? last.state().setByTransitions() : last.state();
        if (!held.equals(recorded)) {
            fail("job %s row holds %s, but its last history row (version %d) recorded %s", id, held, last.version(),
                    recorded);
        }
    }

    private void checkOutbox(UUID id, List<HistoryRow> history, List<EventRow> events) {
        List<String> historyOrder = history.stream().map(h -> h.version() + ":" + h.from() + ">" + h.to()).toList();
        List<String> outboxOrder = events.stream().map(e -> e.version() + ":" + e.from() + ">" + e.to()).toList();
        if (!outboxOrder.equals(historyOrder)) {
            fail("job %s outbox %s differs from history %s", id, outboxOrder, historyOrder);
        }
    }

    private void fail(String format, Object... arguments) {
        violations.add(String.format(format, arguments));
    }
}
