package io.jobstate.persistence.internal;

import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import java.util.UUID;

/**
 * One way of applying a valid transition request atomically: the job, its history row and its
 * outbox row are written together, or nothing is. Implementations are thread-safe.
 */
interface TransitionPath {

    /** {@code traceId}: the trace of the request, recorded with its event ({@code null}: none). */
    TransitionOutcome transition(UUID id, TransitionRequest request, String traceId);
}
