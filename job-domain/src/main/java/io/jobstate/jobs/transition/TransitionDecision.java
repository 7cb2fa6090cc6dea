package io.jobstate.jobs.transition;

import io.jobstate.jobs.ConflictReason;
import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.Violation;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one pure decision of a transition: given the job as it is at the instant of the write, the
 * history entry (if any) already applied with the request's idempotency key, and the request,
 * what happens. Stateless and thread-safe.
 *
 * <p>Order matters and follows the contract: an invalid request is rejected; a recognised replay
 * is answered before any precondition; then If-Match (412), then stated expectations, then the
 * state machine (409), then the lease of a RUNNING job being completed or failed (409).
 */
public final class TransitionDecision {

    private TransitionDecision() {
    }

    public static TransitionOutcome decide(Job current, Optional<HistoryEntry> appliedWithSameKey,
                                           TransitionRequest request, Instant now) {
        Objects.requireNonNull(current, "current is required");
        Objects.requireNonNull(appliedWithSameKey, "appliedWithSameKey is required (may be empty)");
        Objects.requireNonNull(request, "request is required");
        List<Violation> violations = request.violations();
        if (!violations.isEmpty()) {
            return new TransitionOutcome.Invalid(violations);
        }
        if (appliedWithSameKey.isPresent()) {
            return replayOrReuse(current, appliedWithSameKey.get(), request);
        }
        if (request.requiredVersion() != null && request.requiredVersion() != current.version()) {
            return new TransitionOutcome.PreconditionFailed(current);
        }
        if (request.expectedStatus() != null && request.expectedStatus() != current.status()) {
            return conflict(current, request, ConflictReason.STALE_STATUS);
        }
        if (request.expectedVersion() != null && request.expectedVersion() != current.version()) {
            return conflict(current, request, ConflictReason.STALE_VERSION);
        }
        if (!current.status().canTransitionTo(request.to())) {
            return conflict(current, request, ConflictReason.ILLEGAL_TRANSITION);
        }
        if (needsLease(current, request.to()) && (current.lease() == null || !current.lease().heldBy(request.leaseToken()))) {
            return conflict(current, request, ConflictReason.LEASE_MISMATCH);
        }
        Job next = current.transitionedTo(request.to(), request.result(), request.error(),
                request.effectiveLeaseSeconds(), now);
        return new TransitionOutcome.Applied(next, current.status());
    }

    /** Finishing a run (COMPLETED, FAILED) is the worker's, fenced by its lease; cancelling is the coordinator's. */
    public static boolean needsLease(Job current, JobStatus to) {
        return current.status() == JobStatus.RUNNING && (to == JobStatus.COMPLETED || to == JobStatus.FAILED);
    }

    /** A replay answers what the original request produced: the job as that transition left it. */
    private static TransitionOutcome replayOrReuse(Job current, HistoryEntry original, TransitionRequest request) {
        if (request.fingerprint().equals(original.requestFingerprint())) {
            return new TransitionOutcome.Replayed(current.asLeftBy(original), original);
        }
        return conflict(current, request, ConflictReason.IDEMPOTENCY_KEY_REUSED);
    }

    private static TransitionOutcome conflict(Job current, TransitionRequest request, ConflictReason reason) {
        return new TransitionOutcome.Conflict(current, request.to(), reason);
    }
}
