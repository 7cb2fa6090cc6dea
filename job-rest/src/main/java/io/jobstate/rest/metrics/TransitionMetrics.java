package io.jobstate.rest.metrics;

import io.jobstate.jobs.transition.TransitionOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Counts what transitions came to: applied (by from and to), conflicts (by reason), failed
 * preconditions, replays and lock-wait timeouts. Thread-safe (the registry is).
 */
@ApplicationScoped
public class TransitionMetrics {

    @Inject
    MetricRegistry registry;

    public void record(TransitionOutcome outcome) {
        switch (outcome) {
            case TransitionOutcome.Applied applied -> registry.counter("jobstate_transitions_applied",
                    new Tag("from", applied.from().name()), new Tag("to", applied.job().status().name())).inc();
            case TransitionOutcome.Conflict conflict -> registry.counter("jobstate_transition_conflicts",
                    new Tag("reason", conflict.reason().name().toLowerCase(Locale.ROOT))).inc();
            case TransitionOutcome.PreconditionFailed failed -> registry.counter("jobstate_transition_conflicts",
                    new Tag("reason", "if_match")).inc();
            case TransitionOutcome.Replayed replayed -> registry.counter("jobstate_transition_replays").inc();
            case TransitionOutcome.LockTimedOut timedOut -> registry.counter("jobstate_lock_wait_timeouts").inc();
            case TransitionOutcome.NotFound notFound -> { /* nothing to count: a client error */ }
            case TransitionOutcome.Invalid invalid -> { /* nothing to count: a client error */ }
        }
    }
}
