package io.jobstate.client.coordinator;

import io.jobstate.client.api.JobStatus;
import io.jobstate.client.api.TransitionRequest;
import io.jobstate.client.problem.ConflictException;
import io.jobstate.client.problem.ConflictReason;

/**
 * What to do after a 409, instead of retrying blindly. Pure: decided from the conflict's current
 * state and the request that was sent.
 *
 * <p>The service recognises a repeat of an applied request (same Idempotency-Key, same body)
 * before anything else and answers it 200, so a 409 for any other reason means this operation's
 * key was not applied when the service decided.
 */
enum ConflictDecision {
    /**
     * The key was applied with another body: the caller re-sent this operation with other
     * expectations after an earlier attempt of it landed unseen. Its history says whether that
     * attempt made the same transition.
     */
    CONFIRM_FROM_HISTORY,
    /** Only our expectations were stale and the transition is still legal: send it again, rebased. */
    REBASE,
    /** The job moved on; the operation no longer applies. */
    SUPERSEDED,
    /** Nothing safe to decide (the key names another operation, or the answer named no state): the caller's. */
    REFUSE;

    static ConflictDecision after(ConflictException conflict, TransitionRequest sent) {
        JobStatus current = conflict.currentStatus();
        if (conflict.reason() == ConflictReason.IDEMPOTENCY_KEY_REUSED) {
            // a result or an error under a reused key may differ from ours: never call it ours
            return carriesAnOutcome(sent.to()) ? REFUSE : CONFIRM_FROM_HISTORY;
        }
        if (current == null) {
            return REFUSE;
        }
        boolean onlyStale = conflict.reason() != ConflictReason.ILLEGAL_TRANSITION;
        if (onlyStale && current.canMoveTo(sent.to()) && !carriesAnOutcome(sent.to()) && current != JobStatus.FAILED) {
            return REBASE;
        }
        return SUPERSEDED;
    }

    /*
     * A result or an error belongs to one run. A RUNNING job at another version than expected was
     * restarted (FAILED -> QUEUED -> RUNNING) or is another run altogether, so finishing it with
     * our outcome would report one run's result for another: never rebase those. Likewise a job
     * that FAILED meanwhile is not rebased into a retry (FAILED -> QUEUED) nobody decided on.
     */
    private static boolean carriesAnOutcome(JobStatus target) {
        return target == JobStatus.COMPLETED || target == JobStatus.FAILED;
    }
}
