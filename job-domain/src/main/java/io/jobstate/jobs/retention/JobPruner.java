package io.jobstate.jobs.retention;

import io.jobstate.jobs.JobStatus;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Deletes finished jobs past their retention, with everything that belongs only to them (their
 * history; the job row holds the creation key). A job is deleted only if, at the instant of the
 * delete, it is still in a finished status and its {@code finishedAt} is still past the retention: a
 * job retried at that moment ({@code FAILED → QUEUED}) is kept. Safe to run from any number of
 * processes at once: each job is deleted once, and a job another writer holds is left for the next
 * batch rather than waited for. Their events stay until the feed's own retention.
 *
 * <p>Thread-safe and safe across processes. Infrastructure failures surface as
 * {@link io.jobstate.jobs.store.StoreUnavailableException}.
 */
public interface JobPruner {

    /** The most jobs one batch (one transaction) may delete: a few thousand rows with their history. */
    int MAX_BATCH = 1000;

    /** Deletes up to {@code limit} (1..{@link #MAX_BATCH}) jobs past {@code policy}, oldest finished first, in one transaction. */
    Batch pruneBatch(RetentionPolicy policy, int limit);

    /** The {@code finishedAt} of the oldest finished job still kept, per finished status that has one. */
    Map<JobStatus, Instant> oldestFinished();

    /**
     * Batch after batch until a batch finds fewer than {@code limit} jobs due, or {@code maxBatches}
     * ran (a backlog after an outage is worked off over several passes, never in one long run).
     */
    default Pruned prune(RetentionPolicy policy, int limit, int maxBatches) {
        Map<JobStatus, Long> deleted = new EnumMap<>(JobStatus.class);
        int batches = 0;
        Batch batch;
        do {
            batch = pruneBatch(policy, limit);
            batches++;
            batch.deleted().forEach((status, count) -> deleted.merge(status, (long) count, Long::sum));
        } while (batch.due() == limit && batches < maxBatches);
        return new Pruned(deleted, batches, batch.due() == limit);
    }

    /**
     * One batch: how many jobs it found due ({@code limit} when there may be more) and how many of
     * each status it deleted (fewer than due when some were retried or held by another writer meanwhile).
     */
    record Batch(int due, Map<JobStatus, Integer> deleted) {

        public Batch {
            deleted = Map.copyOf(deleted);
        }

        public int total() {
            return deleted.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** What a pass deleted per status, in how many batches, and whether it stopped with jobs still due. */
    record Pruned(Map<JobStatus, Long> deleted, int batches, boolean moreDue) {

        public Pruned {
            deleted = Map.copyOf(deleted);
        }

        public long total() {
            return deleted.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
