package io.jobstate.jobs.counts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobstate.jobs.JobStatus;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusCountsTest {

    @Test
    void everyStatusIsPresentAndAMissingOneCountsZero() {
        StatusCounts counts = new StatusCounts(Map.of(JobStatus.RUNNING, 3L, JobStatus.COMPLETED, 40L), 7);

        assertThat(counts.byStatus()).containsOnlyKeys(JobStatus.values());
        assertThat(counts.of(JobStatus.PENDING)).isZero();
        assertThat(counts.of(JobStatus.RUNNING)).isEqualTo(3);
        assertThat(counts.total()).isEqualTo(43);
        assertThat(counts.lastSeq()).isEqualTo(7);
    }

    @Test
    void theMapCannotBeChangedAfterwardsNeitherThroughTheCountsNorThroughTheCallersMap() {
        Map<JobStatus, Long> given = new EnumMap<>(Map.of(JobStatus.FAILED, 1L));
        StatusCounts counts = new StatusCounts(given, 0);
        given.put(JobStatus.FAILED, 99L);

        assertThat(counts.of(JobStatus.FAILED)).isEqualTo(1);
        assertThatThrownBy(() -> counts.byStatus().put(JobStatus.FAILED, 2L)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void negativeNumbersAreRefused() {
        assertThatThrownBy(() -> new StatusCounts(Map.of(JobStatus.QUEUED, -1L), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("QUEUED");
        assertThatThrownBy(() -> new StatusCounts(Map.of(), -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
