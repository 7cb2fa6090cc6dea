package io.jobstate.persistence.concurrency;

import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import java.util.UUID;

/** One request a client sent and what it got back: an outcome, or an exception that escaped. */
record Recorded(UUID jobId, TransitionRequest request, TransitionOutcome outcome, Throwable failure) {

    static Recorded of(UUID jobId, TransitionRequest request, TransitionOutcome outcome) {
        return new Recorded(jobId, request, outcome, null);
    }

    static Recorded failed(UUID jobId, TransitionRequest request, Throwable failure) {
        return new Recorded(jobId, request, null, failure);
    }
}
