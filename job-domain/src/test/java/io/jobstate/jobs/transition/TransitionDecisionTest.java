package io.jobstate.jobs.transition;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.ConflictReason;
import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TransitionDecisionTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = T0.plusSeconds(1);

    private final Job pending = Job.created(UUID.randomUUID(), "build", null, T0);

    private static TransitionOutcome decide(Job job, TransitionRequest request) {
        return TransitionDecision.decide(job, Optional.empty(), request, T1);
    }

    @Test
    void legalTransitionIsAppliedWithTheNextVersion() {
        TransitionOutcome outcome = decide(pending, TransitionRequest.to(JobStatus.RUNNING));

        assertThat(outcome).isInstanceOfSatisfying(TransitionOutcome.Applied.class, applied -> {
            assertThat(applied.job().status()).isEqualTo(JobStatus.RUNNING);
            assertThat(applied.job().version()).isEqualTo(1);
        });
    }

    @Test
    void illegalTransitionConflictsWithTheCurrentJob() {
        TransitionOutcome outcome = decide(pending, TransitionRequest.to(JobStatus.COMPLETED));

        assertThat(outcome).isEqualTo(new TransitionOutcome.Conflict(pending, JobStatus.COMPLETED,
                ConflictReason.ILLEGAL_TRANSITION));
    }

    @Test
    void staleExpectedStatusConflictsEvenWhenTheTransitionWouldBeLegal() {
        TransitionOutcome outcome = decide(pending,
                TransitionRequest.to(JobStatus.RUNNING).expectingStatus(JobStatus.QUEUED));

        assertThat(outcome).isEqualTo(new TransitionOutcome.Conflict(pending, JobStatus.RUNNING,
                ConflictReason.STALE_STATUS));
    }

    @Test
    void staleExpectedVersionConflicts() {
        TransitionOutcome outcome = decide(pending, TransitionRequest.to(JobStatus.RUNNING).expectingVersion(3L));

        assertThat(outcome).isEqualTo(new TransitionOutcome.Conflict(pending, JobStatus.RUNNING,
                ConflictReason.STALE_VERSION));
    }

    @Test
    void ifMatchMismatchFailsThePreconditionBeforeAnyExpectationOrLegalityIsChecked() {
        TransitionOutcome outcome = decide(pending, TransitionRequest.to(JobStatus.COMPLETED)
                .ifMatch(7L).expectingStatus(JobStatus.RUNNING));

        assertThat(outcome).isEqualTo(new TransitionOutcome.PreconditionFailed(pending));
    }

    @Test
    void matchingExpectationsAndIfMatchLetTheTransitionApply() {
        TransitionOutcome outcome = decide(pending, TransitionRequest.to(JobStatus.QUEUED)
                .ifMatch(0L).expectingVersion(0L).expectingStatus(JobStatus.PENDING));

        assertThat(outcome).isInstanceOf(TransitionOutcome.Applied.class);
    }

    @Test
    void aKnownKeyWithTheSameBodyIsReplayedBeforeAnyPreconditionIsEvaluated() {
        TransitionRequest request = TransitionRequest.to(JobStatus.RUNNING).withIdempotencyKey("k1");
        Job running = ((TransitionOutcome.Applied) decide(pending, request)).job();
        HistoryEntry entry = recorded(running, JobStatus.PENDING, request);

        TransitionOutcome outcome = TransitionDecision.decide(running, Optional.of(entry),
                request.ifMatch(0L), T1);

        assertThat(outcome).isEqualTo(new TransitionOutcome.Replayed(running, entry));
    }

    @Test
    void aReplayAnswersTheJobAsTheOriginalLeftItWithItsOwnRunsLeaseAfterTheJobMovedOn() {
        TransitionRequest start = TransitionRequest.to(JobStatus.RUNNING).withIdempotencyKey("start-1");
        Job firstRun = ((TransitionOutcome.Applied) decide(pending, start)).job();
        HistoryEntry original = recorded(firstRun, JobStatus.PENDING, start);
        Job failed = firstRun.transitionedTo(JobStatus.FAILED, null, "boom", T1);
        Job secondRun = failed.transitionedTo(JobStatus.QUEUED, null, null, T1)
                .transitionedTo(JobStatus.RUNNING, null, null, T1).withProgress(70, T1);

        TransitionOutcome outcome = TransitionDecision.decide(secondRun, Optional.of(original), start, T1);

        assertThat(outcome).isInstanceOfSatisfying(TransitionOutcome.Replayed.class, replayed -> {
            assertThat(replayed.job()).isEqualTo(firstRun);
            assertThat(replayed.job().version()).isEqualTo(1);
            assertThat(replayed.job().lease().token()).isEqualTo(firstRun.lease().token())
                    .isNotEqualTo(secondRun.lease().token());
            assertThat(replayed.job().progress()).isZero();
        });
    }

    @Test
    void aReplayOfAnEntryRecordedBeforeContractOneShowsTheJobNowWithoutALaterRunsToken() {
        TransitionRequest start = TransitionRequest.to(JobStatus.RUNNING).withIdempotencyKey("start-1");
        Job firstRun = ((TransitionOutcome.Applied) decide(pending, start)).job();
        HistoryEntry legacy = new HistoryEntry(1, JobStatus.PENDING, JobStatus.RUNNING, T1, 1, "start-1",
                start.fingerprint());
        Job secondRun = firstRun.transitionedTo(JobStatus.FAILED, null, "boom", T1)
                .transitionedTo(JobStatus.QUEUED, null, null, T1).transitionedTo(JobStatus.RUNNING, null, null, T1);

        TransitionOutcome sameRun = TransitionDecision.decide(firstRun, Optional.of(legacy), start, T1);
        TransitionOutcome laterRun = TransitionDecision.decide(secondRun, Optional.of(legacy), start, T1);

        assertThat(sameRun).isEqualTo(new TransitionOutcome.Replayed(firstRun, legacy));
        assertThat(laterRun).isInstanceOfSatisfying(TransitionOutcome.Replayed.class, replayed -> {
            assertThat(replayed.job().version()).isEqualTo(secondRun.version());
            assertThat(replayed.job().lease()).isNull();
        });
    }

    private static HistoryEntry recorded(Job after, JobStatus from, TransitionRequest request) {
        return new HistoryEntry(after.version(), from, after.status(), after.updatedAt(), after.attempt(),
                request.idempotencyKey(), request.fingerprint(), null, request.reason(),
                HistoryEntry.StateAfter.of(after));
    }

    @Test
    void aKnownKeyWithADifferentBodyConflicts() {
        HistoryEntry entry = new HistoryEntry(1, JobStatus.PENDING, JobStatus.RUNNING, T1, 1, "k1",
                TransitionRequest.to(JobStatus.RUNNING).fingerprint());
        Job running = pending.transitionedTo(JobStatus.RUNNING, null, null, T1);

        TransitionOutcome outcome = TransitionDecision.decide(running, Optional.of(entry),
                TransitionRequest.to(JobStatus.CANCELLED).withIdempotencyKey("k1"), T1);

        assertThat(outcome).isEqualTo(new TransitionOutcome.Conflict(running, JobStatus.CANCELLED,
                ConflictReason.IDEMPOTENCY_KEY_REUSED));
    }

    @Test
    void invalidRequestIsRejectedWithItsViolations() {
        TransitionOutcome outcome = decide(pending, TransitionRequest.to(JobStatus.RUNNING).withResult("{}"));

        assertThat(outcome).isInstanceOfSatisfying(TransitionOutcome.Invalid.class,
                invalid -> assertThat(invalid.violations()).extracting("field").containsExactly("result"));
    }

    @Test
    void terminalJobsAbsorbEveryRequest() {
        Job completed = pending.transitionedTo(JobStatus.RUNNING, null, null, T1)
                .transitionedTo(JobStatus.COMPLETED, null, null, T1);
        for (JobStatus to : JobStatus.values()) {
            if (to == JobStatus.PENDING) {
                continue;
            }
            assertThat(decide(completed, TransitionRequest.to(to))).as(to.name())
                    .isInstanceOf(TransitionOutcome.Conflict.class);
        }
    }

    @Test
    void enteringRunningGrantsALeaseOfTheAskedLengthAndLeavingItEndsTheLease() {
        Job running = applied(pending, TransitionRequest.to(JobStatus.RUNNING).withLeaseSeconds(90));

        assertThat(running.lease().expiresAt()).isEqualTo(T1.plusSeconds(90));
        assertThat(running.lease().token()).isNotBlank();
        Job cancelled = applied(running, TransitionRequest.to(JobStatus.CANCELLED));
        assertThat(cancelled.lease()).as("cancelling needs no token").isNull();
    }

    @Test
    void completingOrFailingARunningJobNeedsItsRunsLeaseToken() {
        Job running = applied(pending, TransitionRequest.to(JobStatus.RUNNING));
        for (TransitionRequest finish : java.util.List.of(TransitionRequest.to(JobStatus.COMPLETED),
                TransitionRequest.to(JobStatus.FAILED).withError("boom"))) {
            assertThat(decide(running, finish)).isEqualTo(
                    new TransitionOutcome.Conflict(running, finish.to(), ConflictReason.LEASE_MISMATCH));
            assertThat(decide(running, finish.withLeaseToken("guess"))).isEqualTo(
                    new TransitionOutcome.Conflict(running, finish.to(), ConflictReason.LEASE_MISMATCH));
            assertThat(applied(running, finish.withLeaseToken(running.lease().token())).lease()).isNull();
        }
    }

    @Test
    void aWorkerOfAnEarlierRunIsFencedOffTheRetriedRun() {
        Job firstRun = applied(pending, TransitionRequest.to(JobStatus.RUNNING));
        String zombie = firstRun.lease().token();
        Job failed = applied(firstRun, TransitionRequest.to(JobStatus.FAILED).withError("lease expired").withLeaseToken(zombie));
        Job secondRun = applied(applied(failed, TransitionRequest.to(JobStatus.QUEUED)), TransitionRequest.to(JobStatus.RUNNING));

        assertThat(secondRun.lease().token()).isNotEqualTo(zombie);
        assertThat(decide(secondRun, TransitionRequest.to(JobStatus.COMPLETED).withLeaseToken(zombie))).isEqualTo(
                new TransitionOutcome.Conflict(secondRun, JobStatus.COMPLETED, ConflictReason.LEASE_MISMATCH));
    }

    @Test
    void aLeaseLengthOutsideItsBoundsOrForAnotherTargetIsInvalid() {
        for (TransitionRequest request : java.util.List.of(TransitionRequest.to(JobStatus.RUNNING).withLeaseSeconds(0),
                TransitionRequest.to(JobStatus.RUNNING).withLeaseSeconds(86_401),
                TransitionRequest.to(JobStatus.QUEUED).withLeaseSeconds(30))) {
            assertThat(decide(pending, request)).as(request.toString()).isInstanceOf(TransitionOutcome.Invalid.class);
        }
    }

    private static Job applied(Job job, TransitionRequest request) {
        return ((TransitionOutcome.Applied) decide(job, request)).job();
    }
}
