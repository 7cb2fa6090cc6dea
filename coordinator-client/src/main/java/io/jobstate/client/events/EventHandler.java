package io.jobstate.client.events;

import io.jobstate.client.problem.JobstateException;

/** Receives a subscription's events, one at a time, on the subscription's thread. */
@FunctionalInterface
public interface EventHandler {

    void onEvent(JobEvent event);

    /**
     * The subscription ended for a reason retrying cannot cure: {@link EventStreamGoneException}
     * (resume position pruned), {@link io.jobstate.client.problem.AccessDeniedException},
     * {@link io.jobstate.client.problem.JobNotFoundException}. Connection failures are not reported
     * here: the subscription resumes by itself.
     */
    default void onFailure(JobstateException failure) {
    }
}
