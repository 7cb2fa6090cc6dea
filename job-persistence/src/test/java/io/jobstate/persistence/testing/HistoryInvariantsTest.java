package io.jobstate.persistence.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.JobStatus;
import io.jobstate.persistence.testing.StoredJobs.EventRow;
import io.jobstate.persistence.testing.StoredJobs.HistoryRow;
import io.jobstate.persistence.testing.StoredJobs.JobRow;
import io.jobstate.persistence.testing.StoredJobs.State;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Each database invariant, seen holding on a sound history and failing on one broken in that way only. */
class HistoryInvariantsTest {

    private static final UUID JOB = UUID.fromString("00000000-0000-0000-0000-000000000001");
    private static final Instant T = Instant.parse("2026-11-30T10:00:00Z");
    private static final State IDLE = new State(0, null, null, null, null, null, null, null);
    private static final State RUN = new State(0, null, null, T.plusSeconds(1), null, "token-1", T.plusSeconds(31), 30);
    private static final State FAILED = new State(40, null, "exit 1", T.plusSeconds(1), T.plusSeconds(2), null, null, null);

    /** PENDING -> RUNNING -> FAILED -> QUEUED (the retry: attempt 2). */
    private static List<HistoryRow> retried() {
        return List.of(
                row(1, JobStatus.PENDING, JobStatus.RUNNING, 1, 1, RUN),
                row(2, JobStatus.RUNNING, JobStatus.FAILED, 1, 2, FAILED),
                row(3, JobStatus.FAILED, JobStatus.QUEUED, 2, 3, IDLE));
    }

    @Test
    void aSoundHistoryAndAJobNeverMovedBreakNothing() {
        UUID untouched = UUID.fromString("00000000-0000-0000-0000-000000000002");
        StoredJobs stored = new StoredJobs(List.of(JOB, untouched),
                Map.of(JOB, job(JobStatus.QUEUED, 3, 2, IDLE), untouched, job(JobStatus.PENDING, 0, 1, IDLE)),
                Map.of(JOB, retried()), Map.of(JOB, events(retried())));

        assertThat(HistoryInvariants.check(stored)).isEmpty();
    }

    @Test
    void aJobMissingFromTheDatabaseIsReported() {
        StoredJobs stored = new StoredJobs(List.of(JOB), Map.of(), Map.of(), Map.of());

        assertThat(HistoryInvariants.check(stored)).singleElement().asString().contains("1 of the 1 jobs are missing");
    }

    @Test
    void aVersionGapIsReported() {
        List<HistoryRow> rows = List.of(retried().get(0), retried().get(1),
                row(4, JobStatus.FAILED, JobStatus.QUEUED, 2, 3, IDLE));

        assertThat(check(rows, job(JobStatus.QUEUED, 4, 2, IDLE))).singleElement().asString()
                .contains("history has version 4 at position 3");
    }

    @Test
    void aMoveTheStateMachineForbidsIsReported() {
        List<HistoryRow> rows = List.of(row(1, JobStatus.PENDING, JobStatus.COMPLETED, 1, 1, IDLE));

        assertThat(check(rows, job(JobStatus.COMPLETED, 1, 1, IDLE))).singleElement().asString()
                .contains("moves PENDING -> COMPLETED after reaching PENDING");
    }

    @Test
    void aMoveFromAStatusTheJobWasNotInIsReported() {
        List<HistoryRow> rows = List.of(retried().get(0), row(2, JobStatus.QUEUED, JobStatus.RUNNING, 1, 2, RUN));

        assertThat(check(rows, job(JobStatus.RUNNING, 2, 1, RUN))).singleElement().asString()
                .contains("moves QUEUED -> RUNNING after reaching RUNNING");
    }

    @Test
    void anAttemptNotRaisedByTheRetryIsReported() {
        List<HistoryRow> rows = List.of(retried().get(0), retried().get(1),
                row(3, JobStatus.FAILED, JobStatus.QUEUED, 1, 3, IDLE));

        assertThat(check(rows, job(JobStatus.QUEUED, 3, 1, IDLE))).singleElement().asString()
                .contains("version 3 (FAILED -> QUEUED) records attempt 1, expected 2");
    }

    @Test
    void anAttemptRaisedOutsideARetryIsReported() {
        List<HistoryRow> rows = List.of(retried().get(0), row(2, JobStatus.RUNNING, JobStatus.FAILED, 2, 2, FAILED));

        assertThat(check(rows, job(JobStatus.FAILED, 2, 2, FAILED))).singleElement().asString()
                .contains("version 2 (RUNNING -> FAILED) records attempt 2, expected 1");
    }

    @Test
    void aTimeRunningBackwardsIsReported() {
        List<HistoryRow> rows = List.of(retried().get(0), row(2, JobStatus.RUNNING, JobStatus.FAILED, 1, 0, FAILED));

        assertThat(check(rows, job(JobStatus.FAILED, 2, 1, FAILED))).singleElement().asString()
                .contains("version 2 is recorded at " + T + ", before version 1");
    }

    @Test
    void aReaperRowThatIsNotAnExpiredRunFailingIsReported() {
        HistoryRow reapedWithKey = new HistoryRow(2, JobStatus.RUNNING, JobStatus.FAILED, 1, "k", "f",
                HistoryEntry.REAPER, T.plusSeconds(2), FAILED);
        HistoryRow reapedCancel = new HistoryRow(2, JobStatus.RUNNING, JobStatus.CANCELLED, 1, null, null,
                HistoryEntry.REAPER, T.plusSeconds(2), FAILED);

        assertThat(check(List.of(retried().get(0), reapedWithKey), job(JobStatus.FAILED, 2, 1, FAILED)))
                .singleElement().asString().contains("the reaper made");
        assertThat(check(List.of(retried().get(0), reapedCancel), job(JobStatus.CANCELLED, 2, 1, FAILED)))
                .singleElement().asString().contains("the reaper made");
    }

    @Test
    void aRowThatRecordsNoStateIsReported() {
        State none = new State(null, null, null, null, null, null, null, null);
        List<HistoryRow> rows = List.of(row(1, JobStatus.PENDING, JobStatus.QUEUED, 1, 1, none));

        assertThat(check(rows, job(JobStatus.QUEUED, 1, 1, IDLE))).singleElement().asString()
                .contains("version 1 records no state after its transition");
    }

    @Test
    void aJobRowThatIsNotItsHistorysEndIsReported() {
        assertThat(check(retried(), job(JobStatus.RUNNING, 3, 2, IDLE))).singleElement().asString()
                .contains("row (RUNNING, version 3, attempt 2) is not its history's end (QUEUED, version 3, attempt 2)");
        assertThat(check(retried(), job(JobStatus.QUEUED, 3, 1, IDLE))).singleElement().asString()
                .contains("is not its history's end");
        assertThat(check(List.of(), job(JobStatus.QUEUED, 0, 1, IDLE))).singleElement().asString()
                .contains("is not its history's end (PENDING, version 0, attempt 1)");
    }

    @Test
    void reportsMayMoveARunningJobsProgressAndLeaseExpiryButNothingATransitionSets() {
        List<HistoryRow> started = List.of(retried().get(0));
        State reported = new State(70, null, null, RUN.startedAt(), null, "token-1", T.plusSeconds(90), 30);
        State otherToken = new State(0, null, null, RUN.startedAt(), null, "token-2", RUN.leaseExpiresAt(), 30);

        assertThat(check(started, job(JobStatus.RUNNING, 1, 1, reported))).isEmpty();
        assertThat(check(started, job(JobStatus.RUNNING, 1, 1, otherToken))).singleElement().asString()
                .contains("but its last history row (version 1) recorded");
    }

    @Test
    void aJobNotRunningHoldsExactlyTheStateItsLastTransitionLeft() {
        List<HistoryRow> failed = List.of(retried().get(0), retried().get(1));
        State progressedLater = new State(90, null, "exit 1", T.plusSeconds(1), T.plusSeconds(2), null, null, null);

        assertThat(check(failed, job(JobStatus.FAILED, 2, 1, progressedLater))).singleElement().asString()
                .contains("but its last history row (version 2) recorded");
    }

    @Test
    void anOutboxThatIsNotTheHistoryInOrderIsReported() {
        List<EventRow> reordered = new ArrayList<>(events(retried()));
        reordered.add(0, reordered.remove(1));
        List<EventRow> lost = events(retried()).subList(0, 2);

        assertThat(check(retried(), job(JobStatus.QUEUED, 3, 2, IDLE), reordered)).singleElement().asString()
                .contains("outbox [2:RUNNING>FAILED, 1:PENDING>RUNNING, 3:FAILED>QUEUED] differs from history");
        assertThat(check(retried(), job(JobStatus.QUEUED, 3, 2, IDLE), lost)).singleElement().asString()
                .contains("differs from history");
    }

    private static List<String> check(List<HistoryRow> rows, JobRow job) {
        return check(rows, job, events(rows));
    }

    private static List<String> check(List<HistoryRow> rows, JobRow job, List<EventRow> events) {
        return HistoryInvariants.check(new StoredJobs(List.of(JOB), Map.of(JOB, job), Map.of(JOB, rows), Map.of(JOB, events)));
    }

    private static HistoryRow row(long version, JobStatus from, JobStatus to, int attempt, int second, State state) {
        return new HistoryRow(version, from, to, attempt, "key-" + version, "print-" + version, null,
                T.plusSeconds(second), state);
    }

    private static JobRow job(JobStatus status, long version, int attempt, State state) {
        return new JobRow(status, version, attempt, state);
    }

    private static List<EventRow> events(List<HistoryRow> rows) {
        return rows.stream().map(r -> new EventRow(100 + r.version(), r.version(), r.from(), r.to())).toList();
    }
}
