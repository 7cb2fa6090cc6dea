package io.jobstate.persistence.internal;

import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import jakarta.persistence.EntityManager;
import java.util.UUID;

/**
 * One way of applying a valid transition request atomically inside the caller's transaction. An
 * implementation writes the job, its history row and its outbox row together, or nothing.
 */
interface TransitionPath {

    TransitionOutcome transition(EntityManager entityManager, UUID id, TransitionRequest request);
}
