package io.jobstate.client.events;

import io.jobstate.client.problem.JobstateException;

/**
 * The position to resume from was pruned by the service's retention (410): events were lost to this
 * subscriber. Resynchronise from the jobs themselves, then subscribe after {@link #prunedThrough()}.
 */
public class EventStreamGoneException extends JobstateException {

    private static final long serialVersionUID = 1L;
    private final long prunedThrough;

    public EventStreamGoneException(String message, long prunedThrough) {
        super(410, "Gone", message);
        this.prunedThrough = prunedThrough;
    }

    public long prunedThrough() {
        return prunedThrough;
    }
}
