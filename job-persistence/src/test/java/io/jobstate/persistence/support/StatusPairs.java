package io.jobstate.persistence.support;

import io.jobstate.jobs.JobStatus;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** All 36 (from, to) status pairs, for tests that cover the whole table. */
public final class StatusPairs {

    private StatusPairs() {
    }

    public static Stream<Arguments> allPairs() {
        return Arrays.stream(JobStatus.values())
                .flatMap(from -> Arrays.stream(JobStatus.values()).map(to -> Arguments.of(from, to)));
    }
}
