package io.jobstate.jobs.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
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
        ProgressOutcome outcome = ProgressDecision.decide(running, 60, T1);

        assertThat(outcome).isInstanceOfSatisfying(ProgressOutcome.Updated.class, updated -> {
            assertThat(updated.job().progress()).isEqualTo(60);
            assertThat(updated.job().version()).isEqualTo(running.version());
        });
    }

    @Test
    void reportingTheSameProgressAgainIsAccepted() {
        assertThat(ProgressDecision.decide(running, 40, T1)).isInstanceOf(ProgressOutcome.Updated.class);
    }

    @Test
    void progressNeverMovesBackwards() {
        assertThat(ProgressDecision.decide(running, 39, T1))
                .isEqualTo(new ProgressOutcome.Rejected(running, ProgressRejection.BACKWARDS));
    }

    @Test
    void progressIsRejectedUnlessRunning() {
        Job completed = running.transitionedTo(JobStatus.COMPLETED, null, null, T1);
        assertThat(ProgressDecision.decide(pending, 10, T1))
                .isEqualTo(new ProgressOutcome.Rejected(pending, ProgressRejection.NOT_RUNNING));
        assertThat(ProgressDecision.decide(completed, 100, T1))
                .isEqualTo(new ProgressOutcome.Rejected(completed, ProgressRejection.NOT_RUNNING));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 101, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void progressOutsideZeroToHundredIsInvalid(int progress) {
        assertThat(ProgressDecision.decide(running, progress, T1)).isInstanceOf(ProgressOutcome.Invalid.class);
    }
}
