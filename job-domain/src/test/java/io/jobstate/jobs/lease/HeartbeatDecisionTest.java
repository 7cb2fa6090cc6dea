package io.jobstate.jobs.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.ConflictReason;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.Violation;
import java.util.List;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HeartbeatDecisionTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant LATER = T0.plusSeconds(100);

    private final Job running = Job.created(UUID.randomUUID(), "build", null, T0)
            .transitionedTo(JobStatus.RUNNING, null, null, 10, T0);

    @Test
    void theRunsTokenRenewsTheLeaseByItsLengthFromNowEvenAfterExpiryUntilReaped() {
        HeartbeatOutcome outcome = HeartbeatDecision.decide(running, running.lease().token(), LATER);

        assertThat(outcome).isInstanceOfSatisfying(HeartbeatOutcome.Renewed.class, renewed -> {
            assertThat(renewed.job().lease().expiresAt()).isEqualTo(LATER.plusSeconds(10));
            assertThat(renewed.job().lease().token()).isEqualTo(running.lease().token());
            assertThat(renewed.job().version()).isEqualTo(running.version());
        });
    }

    @Test
    void anotherRunsTokenIsAMismatch() {
        assertThat(HeartbeatDecision.decide(running, "zombie", LATER))
                .isEqualTo(new HeartbeatOutcome.Rejected(running, ConflictReason.LEASE_MISMATCH));
    }

    @Test
    void aHeartbeatWithoutATokenIsInvalid() {
        assertThat(HeartbeatDecision.decide(running, null, LATER))
                .isEqualTo(new HeartbeatOutcome.Invalid(List.of(new Violation("Lease-Token", "is required"))));
        assertThat(HeartbeatDecision.decide(running, " ", LATER)).isInstanceOf(HeartbeatOutcome.Invalid.class);
        assertThat(HeartbeatDecision.decide(running, "x".repeat(201), LATER)).isEqualTo(new HeartbeatOutcome.Invalid(
                List.of(new Violation("Lease-Token", "must be at most 200 characters"))));
    }

    @Test
    void aJobThatIsNotRunningHasNoLeaseToRenew() {
        Job failed = running.transitionedTo(JobStatus.FAILED, null, "lease expired", LATER);

        assertThat(failed.lease()).isNull();
        assertThat(HeartbeatDecision.decide(failed, running.lease().token(), LATER))
                .isEqualTo(new HeartbeatOutcome.Rejected(failed, ConflictReason.NOT_RUNNING));
    }
}
