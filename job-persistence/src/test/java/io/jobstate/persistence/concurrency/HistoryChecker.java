package io.jobstate.persistence.concurrency;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.ConflictReason;
import io.jobstate.jobs.transition.TransitionDecision;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.testing.HistoryInvariants;
import io.jobstate.persistence.testing.StoredJobs;
import io.jobstate.persistence.testing.StoredJobs.HistoryRow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Checks everything a store storm's callers were told (in-process outcomes) against everything the
 * database recorded, and returns each broken invariant as a sentence (empty when all hold): first the
 * database's own invariants ({@link HistoryInvariants}: legal paths, attempts, job rows, recorded
 * state, outbox, times), then what is particular to outcomes:
 * <ul>
 *   <li>no exception escaped that is not a modeled outcome, and no job was reported missing or a valid
 *       request invalid;</li>
 *   <li>applied outcomes = history rows = outbox rows, and each applied outcome is exactly one
 *       history row with its version, target and key, taken from the state its expectations named;</li>
 *   <li>replays point at a recorded entry with the same key and fingerprint and answer the version and
 *       status that entry produced; conflicts and failed preconditions carry a state the job really
 *       had, on which the domain decides the same.</li>
 * </ul>
 * Not thread-safe; {@link #check} uses an instance of its own per call.
 */
final class HistoryChecker {

    private final List<String> violations = new ArrayList<>();

    private HistoryChecker() {
    }

    static List<String> check(List<Recorded> recorded, StoredJobs state) {
        HistoryChecker checker = new HistoryChecker();
        checker.violations.addAll(HistoryInvariants.check(state));
        checker.checkOutcomes(recorded, state);
        return checker.violations;
    }

    private void checkOutcomes(List<Recorded> recorded, StoredJobs state) {
        long applied = 0;
        Set<String> appliedVersions = new HashSet<>();
        for (Recorded r : recorded) {
            if (r.failure() != null) {
                fail("an exception escaped for job %s, request %s: %s", r.jobId(), r.request(), r.failure());
                continue;
            }
            switch (r.outcome()) {
                case TransitionOutcome.Applied a -> {
                    applied++;
                    if (!appliedVersions.add(r.jobId() + "@" + a.job().version())) {
                        fail("two applied outcomes claim job %s version %d", r.jobId(), a.job().version());
                    }
                    checkApplied(r.jobId(), r.request(), a.job(), state);
                }
                case TransitionOutcome.Replayed replayed -> {
                    HistoryRow original = state.entry(r.jobId(), replayed.original().version());
                    if (original == null || !Objects.equals(original.key(), r.request().idempotencyKey())
                            || !Objects.equals(original.fingerprint(), r.request().fingerprint())) {
                        fail("replay for job %s names entry %s that history does not hold", r.jobId(), replayed.original());
                    } else if (replayed.job().version() != original.version() || replayed.job().status() != original.to()) {
                        fail("replay for job %s answered version %d %s, but its original produced version %d %s",
                                r.jobId(), replayed.job().version(), replayed.job().status(), original.version(), original.to());
                    }
                }
                case TransitionOutcome.Conflict c -> {
                    checkReal(r.jobId(), c.current(), state);
                    if (c.reason() != ConflictReason.IDEMPOTENCY_KEY_REUSED) {
                        checkRedecided(r, c.current(), c);
                    }
                }
                case TransitionOutcome.PreconditionFailed p -> {
                    checkReal(r.jobId(), p.current(), state);
                    checkRedecided(r, p.current(), p);
                }
                case TransitionOutcome.LockTimedOut t -> { /* a modeled outcome: nothing written */ }
                case TransitionOutcome.NotFound n -> fail("job %s was reported missing", r.jobId());
                case TransitionOutcome.Invalid i -> fail("a valid request was called invalid: %s", i.violations());
            }
        }
        if (applied != state.historyRows() || applied != state.eventRows()) {
            fail("applied outcomes %d, history rows %d, outbox rows %d differ", applied, state.historyRows(), state.eventRows());
        }
    }

    private void checkApplied(UUID id, TransitionRequest request, Job job, StoredJobs state) {
        HistoryRow row = state.entry(id, job.version());
        if (row == null || row.to() != job.status() || row.to() != request.to()
                || !Objects.equals(row.key(), request.idempotencyKey())) {
            fail("applied %s on job %s (version %d) is not in history as such: %s", request.to(), id, job.version(), row);
            return;
        }
        if (request.expectedStatus() != null && request.expectedStatus() != row.from()) {
            fail("job %s version %d applied from %s though the caller expected %s", id, row.version(), row.from(),
                    request.expectedStatus());
        }
        Long previousVersion = row.version() - 1;
        if ((request.expectedVersion() != null && !request.expectedVersion().equals(previousVersion))
                || (request.requiredVersion() != null && !request.requiredVersion().equals(previousVersion))) {
            fail("job %s version %d applied over version %d though the caller named another", id, row.version(),
                    previousVersion);
        }
    }

    /** The domain, deciding the request on the state the caller was shown, must reach the same answer. */
    private void checkRedecided(Recorded r, Job shown, TransitionOutcome reported) {
        TransitionOutcome again = TransitionDecision.decide(shown, Optional.empty(), r.request(), shown.updatedAt());
        if (!again.equals(reported)) {
            fail("job %s: %s was answered %s, but on the state shown the domain decides %s", r.jobId(), r.request(),
                    reported, again);
        }
    }

    /** A snapshot handed to a caller must be a state the job really passed through. */
    private void checkReal(UUID id, Job current, StoredJobs state) {
        HistoryRow entry = state.entry(id, current.version());
        JobStatus expected = current.version() == 0 ? JobStatus.PENDING : entry == null ? null : entry.to();
        if (expected != current.status()) {
            fail("job %s was reported as %s at version %d, which history does not show", id, current.status(),
                    current.version());
        }
    }

    private void fail(String format, Object... arguments) {
        violations.add(String.format(format, arguments));
    }
}
