package io.jobstate.rest.claims;

import io.jobstate.jobs.claim.ClaimOutcome;
import io.jobstate.jobs.claim.ClaimRequest;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.rest.problem.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;

/**
 * A claim that may wait: it claims once; when nothing is QUEUED and it may wait, it waits in the
 * {@link ClaimWaiters} line and claims again each time it is woken, until it gets a job or its wait
 * runs out. It enters the line before its first claim, so a job queued between that claim and the
 * wait still wakes it. Thread-safe (stateless).
 */
@ApplicationScoped
public class LongPollClaims {

    @Inject
    JobStore store;

    @Inject
    ClaimWaiters waiters;

    @Inject
    ClaimMetrics metrics;

    /** The outcome of the claim; {@code NoneQueued} when {@code wait} passed without a job. */
    public ClaimOutcome claim(ClaimRequest request, Duration wait) {
        if (wait.isZero() || !request.violations().isEmpty()) {
            return attempt(request);
        }
        Optional<Waiter> place = waiters.enlist(request.distinctTypes());
        if (place.isEmpty()) {
            ClaimOutcome outcome = attempt(request);
            if (outcome instanceof ClaimOutcome.NoneQueued) {
                throw new Problem.Raised(Problem.unavailable(ClaimBounds.LINE_FULL,
                        "This server already holds its maximum number of waiting claims; claim again, or without waitSeconds."));
            }
            return outcome;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        try (Waiter waiter = place.get()) {
            ClaimOutcome outcome = attempt(request);
            while (outcome instanceof ClaimOutcome.NoneQueued) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !waiter.await(Duration.ofNanos(left))) {
                    return outcome;
                }
                outcome = attempt(request);
            }
            return outcome;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ClaimOutcome.NoneQueued();
        }
    }

    private ClaimOutcome attempt(ClaimRequest request) {
        ClaimOutcome outcome = store.claim(request);
        metrics.attempted(outcome);
        return outcome;
    }
}
