package io.jobstate.rest.metrics;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.rest.jobs.TransitionApplied;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Counts what transitions came to: applied (by from and to, from every writer's
 * {@link TransitionApplied}), conflicts (by reason), failed preconditions, replays and lock-wait
 * timeouts. The counters are looked up once, not per request. Thread-safe (the counters are).
 */
@ApplicationScoped
public class TransitionMetrics {

    @Inject
    MetricRegistry registry;

    private final Map<JobStatus, Map<JobStatus, Counter>> applied = new EnumMap<>(JobStatus.class);
    private final Map<String, Counter> conflicts = new java.util.concurrent.ConcurrentHashMap<>();
    private Counter replays;
    private Counter lockWaitTimeouts;

    @PostConstruct
    void register() {
        for (JobStatus from : JobStatus.values()) {
            Map<JobStatus, Counter> byTarget = new EnumMap<>(JobStatus.class);
            for (JobStatus to : from.successors()) {
                byTarget.put(to, registry.counter("jobstate_transitions_applied",
                        new Tag("from", from.name()), new Tag("to", to.name())));
            }
            applied.put(from, byTarget);
        }
        replays = registry.counter("jobstate_transition_replays");
        lockWaitTimeouts = registry.counter("jobstate_lock_wait_timeouts");
    }

    void applied(@Observes TransitionApplied transition) {
        applied.get(transition.from()).get(transition.job().status()).inc();
    }

    /** Counts an outcome other than Applied (that one is counted from {@link TransitionApplied}, which every writer fires). */
    public void record(TransitionOutcome outcome) {
        switch (outcome) {
            case TransitionOutcome.Conflict conflict -> conflict(conflict.reason().name().toLowerCase(Locale.ROOT));
            case TransitionOutcome.PreconditionFailed failed -> conflict("if_match");
            case TransitionOutcome.Replayed replayed -> replays.inc();
            case TransitionOutcome.LockTimedOut timedOut -> lockWaitTimeouts.inc();
            case TransitionOutcome.Applied done -> { /* counted from TransitionApplied */ }
            case TransitionOutcome.NotFound notFound -> { /* nothing to count: a client error */ }
            case TransitionOutcome.Invalid invalid -> { /* nothing to count: a client error */ }
        }
    }

    private void conflict(String reason) {
        conflicts.computeIfAbsent(reason, r -> registry.counter("jobstate_transition_conflicts", new Tag("reason", r))).inc();
    }
}
