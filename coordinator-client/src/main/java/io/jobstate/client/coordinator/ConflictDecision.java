package io.jobstate.client.coordinator;

import io.jobstate.client.api.JobStatus;
import io.jobstate.client.api.TransitionRequest;
import io.jobstate.client.problem.ConflictException;
import io.jobstate.client.problem.ConflictReason;

/**
 * What to do after a 409, instead of retrying blindly. Pure: decided from the conflict's
 * current state and the request that was sent.
 */
enum ConflictDecision {
    /** The job may already be where we wanted it because of this very operation: ask its history. */
    CONFIRM_FROM_HISTORY,
    /** Only our expectations were stale and the transition is still legal: send it again, rebased. */
    REBASE,
    /** The job moved on; the operation no longer applies. */
    SUPERSEDED;

    static ConflictDecision after(ConflictException conflict, TransitionRequest sent) {
        JobStatus current = conflict.currentStatus();
        if (conflict.reason() == ConflictReason.IDEMPOTENCY_KEY_REUSED || current == sent.to()) {
            return CONFIRM_FROM_HISTORY;
        }
        boolean stale = conflict.reason() == ConflictReason.STALE_STATUS
                || conflict.reason() == ConflictReason.STALE_VERSION;
        if (stale && current != null && current.canMoveTo(sent.to()) && !finishesARun(sent.to())) {
            return REBASE;
        }
        return SUPERSEDED;
    }

    /*
     * A result or an error belongs to one run. A RUNNING job at another version than expected was
     * restarted (FAILED -> QUEUED -> RUNNING) or is another run altogether, so finishing it with
     * our outcome would report one run's result for another: never rebase those.
     */
    private static boolean finishesARun(JobStatus target) {
        return target == JobStatus.COMPLETED || target == JobStatus.FAILED;
    }
}
