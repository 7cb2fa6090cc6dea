package io.jobstate.jobs.counts;

import io.jobstate.jobs.JobStatus;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The number of jobs in each status, every status present, and {@code lastSeq}: the newest event of
 * the feed these numbers already reflect. Both come from one database snapshot, so a reader that
 * follows the feed after {@code lastSeq} sees every later change exactly once. Immutable.
 *
 * @param byStatus each status's count (a missing status is 0); never negative
 * @param lastSeq  the feed's newest published {@code seq} at the snapshot (0 when none)
 */
public record StatusCounts(Map<JobStatus, Long> byStatus, long lastSeq) {

    public StatusCounts {
        Objects.requireNonNull(byStatus, "byStatus is required");
        EnumMap<JobStatus, Long> all = new EnumMap<>(JobStatus.class);
        for (JobStatus status : JobStatus.values()) {
            long count = byStatus.getOrDefault(status, 0L);
            if (count < 0) {
                throw new IllegalArgumentException(status + " count is negative: " + count);
            }
            all.put(status, count);
        }
        if (lastSeq < 0) {
            throw new IllegalArgumentException("lastSeq is negative: " + lastSeq);
        }
        byStatus = Collections.unmodifiableMap(all);
    }

    public long of(JobStatus status) {
        return byStatus.get(Objects.requireNonNull(status, "status is required"));
    }

    /** Every job, whatever its status. */
    public long total() {
        return byStatus.values().stream().mapToLong(Long::longValue).sum();
    }
}
