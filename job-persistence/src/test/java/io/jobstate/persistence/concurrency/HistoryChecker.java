package io.jobstate.persistence.concurrency;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.ConflictReason;
import io.jobstate.jobs.transition.TransitionDecision;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.concurrency.DatabaseState.EventRow;
import io.jobstate.persistence.concurrency.DatabaseState.HistoryRow;
import io.jobstate.persistence.concurrency.DatabaseState.JobRow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Checks everything clients were told against everything the database recorded, and returns each
 * broken invariant as a sentence (empty when all hold):
 * <ul>
 *   <li>no exception escaped that is not a modeled outcome;</li>
 *   <li>applied outcomes = history rows = outbox rows, and each applied outcome is exactly one
 *       history row with its version, target and key, taken from the state its expectations named;</li>
 *   <li>every history is a legal path from PENDING with versions 1..n and consistent attempts;</li>
 *   <li>each job row equals its last history row; the outbox equals the history, in order;</li>
 *   <li>replays point at a recorded entry with the same key and fingerprint; conflicts and failed
 *       preconditions carry a state the job really had, on which the domain decides the same;</li>
 *   <li>history times never run backwards.</li>
 * </ul>
 */
final class HistoryChecker {

    private final List<String> violations = new ArrayList<>();

    private HistoryChecker() {
    }

    static List<String> check(List<Recorded> recorded, DatabaseState state) {
        HistoryChecker checker = new HistoryChecker();
        checker.checkOutcomes(recorded, state);
        state.jobs().forEach((id, row) -> checker.checkJob(id, row, state.history().get(id), state.events().get(id)));
        return checker.violations;
    }

    private void checkOutcomes(List<Recorded> recorded, DatabaseState state) {
        long applied = 0;
        Set<String> appliedVersions = new HashSet<>();
        for (Recorded r : recorded) {
            if (r.failure() != null) {
                fail("an exception escaped for job %s, request %s: %s", r.jobId(), r.request(), r.failure());
                continue;
            }
            List<HistoryRow> history = state.history().get(r.jobId());
            switch (r.outcome()) {
                case TransitionOutcome.Applied a -> {
                    applied++;
                    if (!appliedVersions.add(r.jobId() + "@" + a.job().version())) {
                        fail("two applied outcomes claim job %s version %d", r.jobId(), a.job().version());
                    }
                    checkApplied(r.jobId(), r.request(), a.job(), history);
                }
                case TransitionOutcome.Replayed replayed -> {
                    HistoryRow original = at(history, replayed.original().version());
                    if (original == null || !Objects.equals(original.key(), r.request().idempotencyKey())
                            || !Objects.equals(original.fingerprint(), r.request().fingerprint())) {
                        fail("replay for job %s names entry %s that history does not hold", r.jobId(), replayed.original());
                    } else if (replayed.job().version() != original.version() || replayed.job().status() != original.to()) {
                        fail("replay for job %s answered version %d %s, but its original produced version %d %s",
                                r.jobId(), replayed.job().version(), replayed.job().status(), original.version(), original.to());
                    }
                }
                case TransitionOutcome.Conflict c -> {
                    checkReal(r.jobId(), c.current(), history);
                    if (c.reason() != ConflictReason.IDEMPOTENCY_KEY_REUSED) {
                        checkRedecided(r, c.current(), c);
                    }
                }
                case TransitionOutcome.PreconditionFailed p -> {
                    checkReal(r.jobId(), p.current(), history);
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

    private void checkApplied(UUID id, TransitionRequest request, Job job, List<HistoryRow> history) {
        HistoryRow row = at(history, job.version());
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
    private void checkReal(UUID id, Job current, List<HistoryRow> history) {
        JobStatus expected = current.version() == 0 ? JobStatus.PENDING
                : at(history, current.version()) == null ? null : at(history, current.version()).to();
        if (expected != current.status()) {
            fail("job %s was reported as %s at version %d, which history does not show", id, current.status(),
                    current.version());
        }
    }

    private void checkJob(UUID id, JobRow row, List<HistoryRow> history, List<EventRow> events) {
        JobStatus previous = JobStatus.PENDING;
        int attempt = 1;
        for (int i = 0; i < history.size(); i++) {
            HistoryRow entry = history.get(i);
            if (entry.version() != i + 1) {
                fail("job %s history has version %d at position %d", id, entry.version(), i + 1);
            }
            if (entry.from() != previous || !entry.from().canTransitionTo(entry.to())) {
                fail("job %s history moves %s -> %s after reaching %s (version %d)", id, entry.from(), entry.to(),
                        previous, entry.version());
            }
            attempt += JobStatus.isRetry(entry.from(), entry.to()) ? 1 : 0;
            if (entry.attempt() != attempt) {
                fail("job %s version %d records attempt %d, expected %d", id, entry.version(), entry.attempt(), attempt);
            }
            if (i > 0 && entry.at().isBefore(history.get(i - 1).at())) {
                fail("job %s version %d is recorded at %s, before version %d at %s", id, entry.version(), entry.at(),
                        i, history.get(i - 1).at());
            }
            previous = entry.to();
        }
        if (row.status() != previous || row.version() != history.size() || row.attempt() != attempt) {
            fail("job %s row %s does not equal its history's end (%s, version %d, attempt %d)", id, row, previous,
                    history.size(), attempt);
        }
        List<String> eventOrder = events.stream().map(e -> e.version() + ":" + e.from() + ">" + e.to()).toList();
        List<String> historyOrder = history.stream().map(h -> h.version() + ":" + h.from() + ">" + h.to()).toList();
        if (!eventOrder.equals(historyOrder)) {
            fail("job %s outbox %s differs from history %s", id, eventOrder, historyOrder);
        }
    }

    private static HistoryRow at(List<HistoryRow> history, long version) {
        return version >= 1 && version <= history.size() && history.get((int) version - 1).version() == version
                ? history.get((int) version - 1)
                : history.stream().filter(h -> h.version() == version).findFirst().orElse(null);
    }

    private void fail(String format, Object... arguments) {
        violations.add(String.format(format, arguments));
    }
}
