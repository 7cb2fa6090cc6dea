package io.jobstate.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = T0.plusSeconds(1);
    private static final Instant T2 = T0.plusSeconds(2);

    private final Job pending = Job.created(UUID.randomUUID(), "build", "{\"x\":1}", T0);

    @Test
    void creationMakesAPendingJobAtVersionZeroOnItsFirstAttempt() {
        assertThat(pending.status()).isEqualTo(JobStatus.PENDING);
        assertThat(pending.version()).isZero();
        assertThat(pending.attempt()).isEqualTo(1);
        assertThat(pending.progress()).isZero();
        assertThat(pending.startedAt()).isNull();
        assertThat(pending.createdAt()).isEqualTo(T0).isEqualTo(pending.updatedAt());
    }

    @Test
    void runningStartsTheRunAndCompletionRecordsTheResultAndFullProgress() {
        Job running = pending.transitionedTo(JobStatus.RUNNING, null, null, T1);
        Job completed = running.withProgress(40, T1).transitionedTo(JobStatus.COMPLETED, "{\"ok\":true}", null, T2);

        assertThat(running.startedAt()).isEqualTo(T1);
        assertThat(running.version()).isEqualTo(1);
        assertThat(completed.version()).isEqualTo(2);
        assertThat(completed.result()).isEqualTo("{\"ok\":true}");
        assertThat(completed.progress()).isEqualTo(100);
        assertThat(completed.startedAt()).isEqualTo(T1);
        assertThat(completed.finishedAt()).isEqualTo(T2).isEqualTo(completed.updatedAt());
    }

    @Test
    void failureKeepsProgressAndRecordsTheError() {
        Job failed = pending.transitionedTo(JobStatus.RUNNING, null, null, T1)
                .withProgress(30, T1)
                .transitionedTo(JobStatus.FAILED, null, "disk full", T2);

        assertThat(failed.error()).isEqualTo("disk full");
        assertThat(failed.progress()).isEqualTo(30);
        assertThat(failed.finishedAt()).isEqualTo(T2);
    }

    @Test
    void retryStartsANewAttemptWithAFreshRun() {
        Job requeued = pending.transitionedTo(JobStatus.RUNNING, null, null, T1)
                .withProgress(30, T1)
                .transitionedTo(JobStatus.FAILED, null, "disk full", T1)
                .transitionedTo(JobStatus.QUEUED, null, null, T2);

        assertThat(requeued.attempt()).isEqualTo(2);
        assertThat(requeued.version()).isEqualTo(3);
        assertThat(requeued.progress()).isZero();
        assertThat(requeued.error()).isNull();
        assertThat(requeued.startedAt()).isNull();
        assertThat(requeued.finishedAt()).isNull();
    }

    @Test
    void queueingAPendingJobIsNotARetry() {
        assertThat(pending.transitionedTo(JobStatus.QUEUED, null, null, T1).attempt()).isEqualTo(1);
    }

    @Test
    void nothingEntersPending() {
        assertThatThrownBy(() -> pending.transitionedTo(JobStatus.PENDING, null, null, T1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void progressDoesNotChangeTheVersion() {
        Job running = pending.transitionedTo(JobStatus.RUNNING, null, null, T1);
        assertThat(running.withProgress(50, T2).version()).isEqualTo(running.version());
        assertThat(running.withProgress(50, T2).updatedAt()).isEqualTo(T2);
    }

    @Test
    void asCreatedIsThePendingJobOfVersionZeroWhateverHappenedSince() {
        Job completed = pending.transitionedTo(JobStatus.RUNNING, null, null, T1)
                .transitionedTo(JobStatus.COMPLETED, "{}", null, T2);

        assertThat(completed.asCreated()).isEqualTo(pending);
    }

    @Test
    void asLeftByRebuildsTheJobAsARecordedTransitionProducedIt() {
        Job running = pending.transitionedTo(JobStatus.RUNNING, null, null, T1);
        HistoryEntry entry = new HistoryEntry(1, JobStatus.PENDING, JobStatus.RUNNING, running.updatedAt(), 1, "k", "f",
                "someone", null, HistoryEntry.StateAfter.of(running));
        Job later = running.withProgress(50, T2).transitionedTo(JobStatus.FAILED, null, "boom", T2);

        assertThat(later.asLeftBy(entry)).isEqualTo(running);
        assertThatThrownBy(() -> pending.asLeftBy(entry)).isInstanceOf(IllegalArgumentException.class);
    }
}
