package io.jobstate.persistence.retention;

import static io.jobstate.jobs.JobStatus.CANCELLED;
import static io.jobstate.jobs.JobStatus.COMPLETED;
import static io.jobstate.jobs.JobStatus.FAILED;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.creation.CreateOutcome;
import io.jobstate.jobs.creation.NewJob;
import io.jobstate.jobs.events.EventQuery;
import io.jobstate.jobs.events.EventRead;
import io.jobstate.jobs.retention.JobPruner;
import io.jobstate.jobs.retention.RetentionPolicy;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.persistence.JobstatePersistence;
import io.jobstate.persistence.support.Histories;
import io.jobstate.persistence.support.JobsInStatus;
import io.jobstate.persistence.testing.WrittenEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the pruner deletes, against the real database: exactly the finished jobs past their status's
 * retention, with their history, and nothing else — whatever the age of a PENDING, QUEUED or RUNNING
 * job; a status kept forever; jobs created with an Idempotency-Key kept for the idempotency window;
 * in batches; with the status counts still exact and the events still readable.
 */
class PruningIT extends RetentionTest {

    private static final Duration HOUR = Duration.ofHours(1);
    /** More jobs than a batch: the pass must go on batch after batch. */
    private static final int BATCH = 7;
    private static final int PER_GROUP = 10;

    @Test
    void pruningDeletesExactlyTheFinishedJobsPastTheirStatusRetentionWithTheirHistory() throws Exception {
        // given: in every status, jobs of now, of two hours ago and of four hours ago
        Map<JobStatus, List<UUID>> fresh = groups(Duration.ZERO);
        Map<JobStatus, List<UUID>> twoHoursOld = groups(HOUR.multipliedBy(2));
        Map<JobStatus, List<UUID>> fourHoursOld = groups(HOUR.multipliedBy(4));
        RetentionPolicy policy = new RetentionPolicy(Map.of(COMPLETED, HOUR, CANCELLED, HOUR, FAILED, HOUR.multipliedBy(3)), Duration.ZERO);
        long eventsBefore = count("SELECT count(*) FROM " + WrittenEvents.TABLE + " e");

        // when
        JobPruner.Pruned pruned = pruner().prune(policy, BATCH, 1000);

        // then: completed and cancelled ones older than an hour, failed ones older than three
        List<UUID> gone = new ArrayList<>();
        gone.addAll(twoHoursOld.get(COMPLETED));
        gone.addAll(fourHoursOld.get(COMPLETED));
        gone.addAll(twoHoursOld.get(CANCELLED));
        gone.addAll(fourHoursOld.get(CANCELLED));
        gone.addAll(fourHoursOld.get(FAILED));
        assertThat(pruned.deleted()).isEqualTo(Map.of(COMPLETED, 2L * PER_GROUP, CANCELLED, 2L * PER_GROUP, FAILED, (long) PER_GROUP));
        assertThat(pruned.batches()).isEqualTo((gone.size() + BATCH) / BATCH);
        assertThat(pruned.moreDue()).isFalse();
        assertThat(gone).noneMatch(this::exists);
        assertThat(gone).allMatch(id -> Histories.of(store(), id).isEmpty());
        assertThat(count("SELECT count(*) FROM job_history WHERE job_id = ANY (?)", (Object) array(gone))).isZero();
        // and everything else is as it was, whatever its age
        List<UUID> kept = new ArrayList<>();
        for (Map<JobStatus, List<UUID>> group : List.of(fresh, twoHoursOld, fourHoursOld)) {
            group.values().forEach(kept::addAll);
        }
        kept.removeAll(gone);
        assertThat(kept).hasSize(3 * 6 * PER_GROUP - gone.size()).allMatch(this::exists);
        assertThat(kept).allMatch(id -> Histories.of(store(), id).orElseThrow().size() == job(id).version());
        // the events stay until their own retention; the counts are exact
        assertThat(count("SELECT count(*) FROM " + WrittenEvents.TABLE + " e")).isEqualTo(eventsBefore);
        assertThat(countDifferences()).containsOnly(0L);
        assertThat(store().counts().byStatus().get(COMPLETED)).isEqualTo(PER_GROUP);
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"COMPLETED", "FAILED", "CANCELLED"})
    void aStatusWithoutRetentionIsKeptForever(JobStatus forever) throws Exception {
        Map<JobStatus, List<UUID>> old = groups(Duration.ofDays(3650));
        Map<JobStatus, Duration> retained = new EnumMap<>(JobStatus.class);
        for (JobStatus status : List.of(COMPLETED, FAILED, CANCELLED)) {
            if (status != forever) {
                retained.put(status, HOUR);
            }
        }

        JobPruner.Pruned pruned = pruner().prune(new RetentionPolicy(retained, Duration.ZERO), BATCH, 1000);

        assertThat(pruned.deleted()).containsOnlyKeys(retained.keySet()).doesNotContainKey(forever);
        assertThat(old.get(forever)).allMatch(this::exists);
        retained.keySet().forEach(status -> assertThat(old.get(status)).noneMatch(this::exists));
        assertThat(countDifferences()).containsOnly(0L);
    }

    @Test
    void aJobCreatedWithAKeyIsKeptForTheIdempotencyWindowSoThatARetriedCreationIsReplayed() throws Exception {
        RetentionPolicy policy = new RetentionPolicy(Map.of(COMPLETED, HOUR), Duration.ofDays(1));
        UUID keyed = completed(NewJob.of("keyed").withIdempotencyKey("create-1"));
        UUID unkeyed = completed(NewJob.of("unkeyed"));
        UUID keyedLongAgo = completed(NewJob.of("keyed").withIdempotencyKey("create-2"));
        backdate(List.of(keyed, unkeyed), HOUR.multipliedBy(2));
        backdate(List.of(keyedLongAgo), Duration.ofDays(2));

        JobPruner.Pruned pruned = pruner().prune(policy, BATCH, 1000);

        assertThat(pruned.deleted()).isEqualTo(Map.of(COMPLETED, 2L));
        assertThat(exists(keyed)).as("past its retention, within the window").isTrue();
        assertThat(exists(unkeyed)).isFalse();
        assertThat(exists(keyedLongAgo)).as("past the window too").isFalse();
        // a retry within the window answers what the creation produced; after it, the key creates anew
        CreateOutcome retried = store().create(NewJob.of("keyed").withIdempotencyKey("create-1"));
        assertThat(retried).isInstanceOfSatisfying(CreateOutcome.Replayed.class, r -> assertThat(r.job().id()).isEqualTo(keyed));
        CreateOutcome late = store().create(NewJob.of("keyed").withIdempotencyKey("create-2"));
        assertThat(late).isInstanceOfSatisfying(CreateOutcome.Created.class, c -> assertThat(c.job().id()).isNotEqualTo(keyedLongAgo));
    }

    @Test
    void aPassStopsAfterItsBatchesAndTheNextGoesOnWhereItStopped() throws Exception {
        List<UUID> due = jobsIn(COMPLETED, 23);
        backdate(due, HOUR.multipliedBy(2));
        RetentionPolicy policy = new RetentionPolicy(Map.of(COMPLETED, HOUR), Duration.ZERO);

        JobPruner.Pruned first = pruner().prune(policy, 5, 2);
        JobPruner.Pruned second = pruner().prune(policy, 5, 1000);

        assertThat(first.total()).isEqualTo(10);
        assertThat(first.moreDue()).isTrue();
        assertThat(second.total()).isEqualTo(13);
        assertThat(second.batches()).isEqualTo(3);
        assertThat(second.moreDue()).isFalse();
        assertThat(due).noneMatch(this::exists);
    }

    @Test
    void theOldestFinishedJobStillKeptIsReportedPerStatus() throws Exception {
        List<UUID> completed = jobsIn(COMPLETED, 3);
        List<UUID> keyed = List.of(completed(NewJob.of("keyed").withIdempotencyKey("oldest")));
        jobsIn(JobStatus.RUNNING, 2);
        backdate(completed.subList(0, 1), HOUR);
        backdate(keyed, HOUR.multipliedBy(3));

        Map<JobStatus, Instant> oldest = pruner().oldestFinished();

        assertThat(oldest).containsOnlyKeys(COMPLETED);
        assertThat(oldest.get(COMPLETED)).isEqualTo(job(keyed.getFirst()).finishedAt());
    }

    @Test
    void theEventsOfAPrunedJobStayReadableUntilTheFeedsOwnRetention() throws Exception {
        UUID finished = jobsIn(COMPLETED, 1).getFirst();
        backdate(List.of(finished), HOUR.multipliedBy(2));
        var log = JobstatePersistence.eventLog(fixture.dataSource());
        log.publish();

        pruner().prune(new RetentionPolicy(Map.of(COMPLETED, HOUR), Duration.ZERO), BATCH, 1000);

        assertThat(exists(finished)).isFalse();
        EventRead read = log.read(EventQuery.after(0).ofJob(finished));
        assertThat(read).isInstanceOfSatisfying(EventRead.Page.class, page -> assertThat(page.items())
                .extracting(e -> e.to()).containsExactly(JobStatus.RUNNING, COMPLETED));
        log.prune(HOUR);
        assertThat(log.read(EventQuery.after(0).ofJob(finished))).isInstanceOf(EventRead.Gone.class);
    }

    /** PER_GROUP jobs in each status, made {@code earlier} ago. */
    private Map<JobStatus, List<UUID>> groups(Duration earlier) throws Exception {
        Map<JobStatus, List<UUID>> groups = new HashMap<>();
        List<UUID> all = new ArrayList<>();
        for (JobStatus status : JobStatus.values()) {
            groups.put(status, jobsIn(status, PER_GROUP));
            all.addAll(groups.get(status));
        }
        if (!earlier.isZero()) {
            backdate(all, earlier);
        }
        return groups;
    }

    private UUID completed(NewJob request) {
        Job job = ((CreateOutcome.Created) store().create(request)).job();
        for (JobStatus next : List.of(JobStatus.RUNNING, COMPLETED)) {
            job = ((TransitionOutcome.Applied) store().transition(job.id(),
                    JobsInStatus.asWorker(job, JobsInStatus.requestWithDetails(next)))).job();
        }
        return job.id();
    }
}
