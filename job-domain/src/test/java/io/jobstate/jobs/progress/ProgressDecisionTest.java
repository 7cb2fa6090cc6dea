package io.jobstate.jobs.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.ConflictReason;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.Violation;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProgressDecisionTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = T0.plusSeconds(1);

    private final Job pending = Job.created(UUID.randomUUID(), "build", null, T0);
    private final Job running = pending.transitionedTo(JobStatus.RUNNING, null, null, T0).withProgress(40, T0);

    @Test
    void progressMovesForwardWhileRunningWithoutChangingTheVersion() {
        ProgressOutcome outcome = ProgressDecision.decide(running, 60, token(running), T1);

        assertThat(outcome).isInstanceOfSatisfying(ProgressOutcome.Updated.class, updated -> {
            assertThat(updated.job().progress()).isEqualTo(60);
            assertThat(updated.job().version()).isEqualTo(running.version());
        });
    }

    @Test
    void reportingTheSameProgressAgainIsAccepted() {
        assertThat(ProgressDecision.decide(running, 40, token(running), T1)).isInstanceOf(ProgressOutcome.Updated.class);
    }

    @Test
    void progressNeverMovesBackwards() {
        assertThat(ProgressDecision.decide(running, 39, token(running), T1))
                .isEqualTo(new ProgressOutcome.Rejected(running, ConflictReason.BACKWARDS));
    }

    @Test
    void progressIsRejectedUnlessRunning() {
        Job completed = running.transitionedTo(JobStatus.COMPLETED, null, null, T1);
        assertThat(ProgressDecision.decide(pending, 10, token(running), T1))
                .isEqualTo(new ProgressOutcome.Rejected(pending, ConflictReason.NOT_RUNNING));
        assertThat(ProgressDecision.decide(completed, 100, token(running), T1))
                .isEqualTo(new ProgressOutcome.Rejected(completed, ConflictReason.NOT_RUNNING));
    }

    @Test
    void progressOfARunningJobNeedsItsRunsLeaseTokenAndRenewsTheLease() {
        assertThat(ProgressDecision.decide(running, 60, "another run's token", T1))
                .isEqualTo(new ProgressOutcome.Rejected(running, ConflictReason.LEASE_MISMATCH));
        assertThat(ProgressDecision.decide(running, 60, token(running), T1)).isInstanceOfSatisfying(
                ProgressOutcome.Updated.class, updated -> assertThat(updated.job().lease().expiresAt())
                        .isEqualTo(T1.plusSeconds(running.lease().seconds())));
    }

    @Test
    void aReportWithoutALeaseTokenIsInvalidWhateverTheJob() {
        for (Job job : new Job[] {pending, running}) {
            for (String missing : new String[] {null, "", "  "}) {
                assertThat(ProgressDecision.decide(job, 60, missing, T1)).isEqualTo(new ProgressOutcome.Invalid(
                        java.util.List.of(new Violation("Lease-Token", "is required"))));
            }
        }
    }

    private static String token(Job job) {
        return job.lease() == null ? null : job.lease().token();
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 101, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void progressOutsideZeroToHundredIsInvalid(int progress) {
        assertThat(ProgressDecision.decide(running, progress, token(running), T1)).isInstanceOf(ProgressOutcome.Invalid.class);
    }
}
