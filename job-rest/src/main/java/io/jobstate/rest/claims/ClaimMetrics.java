package io.jobstate.rest.claims;

import io.jobstate.jobs.claim.ClaimOutcome;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Claim metrics: every claim statement run (what a thundering herd would multiply), what they
 * answered, the wake-ups handed to waiting claims, and how many wait now. Thread-safe.
 */
@ApplicationScoped
public class ClaimMetrics {

    @Inject
    MetricRegistry registry;

    @Inject
    ClaimWaiters waiters;

    private Counter claimed;
    private Counter replayed;
    private Counter none;
    private Counter wakeUps;

    @PostConstruct
    void register() {
        claimed = registry.counter("jobstate_claim_attempts", new Tag("outcome", "claimed"));
        replayed = registry.counter("jobstate_claim_attempts", new Tag("outcome", "replayed"));
        none = registry.counter("jobstate_claim_attempts", new Tag("outcome", "none"));
        wakeUps = registry.counter("jobstate_claim_wakeups");
        registry.gauge("jobstate_claim_waiters", waiters, ClaimWaiters::waiting);
    }

    void attempted(ClaimOutcome outcome) {
        switch (outcome) {
            case ClaimOutcome.Claimed c -> claimed.inc();
            case ClaimOutcome.Replayed r -> replayed.inc();
            case ClaimOutcome.NoneQueued n -> none.inc();
            case ClaimOutcome.KeyReused k -> { /* a client error: not counted */ }
            case ClaimOutcome.Invalid i -> { /* a client error: not counted */ }
        }
    }

    void wokeUp(int count) {
        wakeUps.inc(count);
    }
}
