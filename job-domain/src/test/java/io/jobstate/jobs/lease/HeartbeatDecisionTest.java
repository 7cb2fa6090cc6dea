package io.jobstate.jobs.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
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
    void anotherOrNoTokenIsAMismatch() {
        assertThat(HeartbeatDecision.decide(running, "zombie", LATER))
                .isEqualTo(new HeartbeatOutcome.Rejected(running, LeaseRejection.LEASE_MISMATCH));
        assertThat(HeartbeatDecision.decide(running, null, LATER))
                .isEqualTo(new HeartbeatOutcome.Rejected(running, LeaseRejection.LEASE_MISMATCH));
    }

    @Test
    void aJobThatIsNotRunningHasNoLeaseToRenew() {
        Job failed = running.transitionedTo(JobStatus.FAILED, null, "lease expired", LATER);

        assertThat(failed.lease()).isNull();
        assertThat(HeartbeatDecision.decide(failed, running.lease().token(), LATER))
                .isEqualTo(new HeartbeatOutcome.Rejected(failed, LeaseRejection.NOT_RUNNING));
    }
}
