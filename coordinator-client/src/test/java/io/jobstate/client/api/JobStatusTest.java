package io.jobstate.client.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The client's copy of the state machine must be the server's: every (from, to) pair. */
class JobStatusTest {

    static Stream<Arguments> pairs() {
        return Arrays.stream(io.jobstate.jobs.JobStatus.values()).flatMap(from ->
                Arrays.stream(io.jobstate.jobs.JobStatus.values()).map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairs")
    void agreesWithTheServersTable(io.jobstate.jobs.JobStatus from, io.jobstate.jobs.JobStatus to) {
        JobStatus clientFrom = JobStatus.valueOf(from.name());
        JobStatus clientTo = JobStatus.valueOf(to.name());

        assertThat(clientFrom.canMoveTo(clientTo)).isEqualTo(from.canTransitionTo(to));
        assertThat(clientFrom.isTerminal()).isEqualTo(from.isTerminal());
    }

    @Test
    void namesTheSameStatuses() {
        assertThat(Arrays.stream(JobStatus.values()).map(Enum::name))
                .containsExactlyElementsOf(Arrays.stream(io.jobstate.jobs.JobStatus.values()).map(Enum::name).toList());
    }
}
