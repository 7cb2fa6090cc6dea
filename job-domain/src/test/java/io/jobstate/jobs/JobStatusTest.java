package io.jobstate.jobs;

import static io.jobstate.jobs.JobStatus.CANCELLED;
import static io.jobstate.jobs.JobStatus.COMPLETED;
import static io.jobstate.jobs.JobStatus.FAILED;
import static io.jobstate.jobs.JobStatus.PENDING;
import static io.jobstate.jobs.JobStatus.QUEUED;
import static io.jobstate.jobs.JobStatus.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JobStatusTest {

    /** The state machine of docs/api.md ("State machine"), written out independently of the enum under test. */
    private static final Set<String> LEGAL = Set.of(
            "PENDING>QUEUED", "PENDING>RUNNING", "PENDING>CANCELLED",
            "QUEUED>RUNNING", "QUEUED>CANCELLED",
            "RUNNING>COMPLETED", "RUNNING>FAILED", "RUNNING>CANCELLED",
            "FAILED>QUEUED");

    static Stream<Arguments> allPairs() {
        return Arrays.stream(JobStatus.values())
                .flatMap(from -> Arrays.stream(JobStatus.values()).map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("allPairs")
    void everyPairIsLegalExactlyWhenTheContractTableSaysSo(JobStatus from, JobStatus to) {
        boolean expected = LEGAL.contains(from + ">" + to);

        assertThat(from.canTransitionTo(to)).isEqualTo(expected);
        assertThat(JobStatus.predecessorsOf(to).contains(from)).isEqualTo(expected);
    }

    @Test
    void thereAreThirtySixPairsAndNineLegalOnes() {
        assertThat(allPairs()).hasSize(36);
        long legal = allPairs().filter(pair -> {
            Object[] args = pair.get();
            return ((JobStatus) args[0]).canTransitionTo((JobStatus) args[1]);
        }).count();
        assertThat(legal).isEqualTo(LEGAL.size());
    }

    @Test
    void nothingEntersPendingAndNoStatusTransitionsToItself() {
        assertThat(JobStatus.predecessorsOf(PENDING)).isEmpty();
        for (JobStatus status : JobStatus.values()) {
            assertThat(status.canTransitionTo(status)).as(status.name()).isFalse();
        }
    }

    @Test
    void completedAndCancelledAreTheOnlyTerminalStatuses() {
        assertThat(Arrays.stream(JobStatus.values()).filter(JobStatus::isTerminal))
                .containsExactlyInAnyOrder(COMPLETED, CANCELLED);
        assertThat(FAILED.isTerminal()).isFalse();
    }

    @Test
    void onlyFailedToQueuedIsARetry() {
        allPairs().forEach(pair -> {
            JobStatus from = (JobStatus) pair.get()[0];
            JobStatus to = (JobStatus) pair.get()[1];
            assertThat(JobStatus.isRetry(from, to)).isEqualTo(from == FAILED && to == QUEUED);
        });
        assertThat(JobStatus.predecessorsOf(QUEUED)).containsExactlyInAnyOrder(PENDING, FAILED);
        assertThat(JobStatus.predecessorsOf(RUNNING)).containsExactlyInAnyOrder(PENDING, QUEUED);
        assertThat(JobStatus.predecessorsOf(CANCELLED)).containsExactlyInAnyOrder(PENDING, QUEUED, RUNNING);
    }

    @Test
    void aRunEndsInCompletedFailedOrCancelledAndOnlyThoseAreFinished() {
        assertThat(Arrays.stream(JobStatus.values()).filter(JobStatus::isFinished))
                .containsExactly(COMPLETED, FAILED, CANCELLED);
        assertThat(RUNNING.successors()).allMatch(JobStatus::isFinished);
    }
}
