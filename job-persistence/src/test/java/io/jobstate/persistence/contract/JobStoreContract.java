package io.jobstate.persistence.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.counts.StatusCounts;
import io.jobstate.jobs.events.EventLog;
import io.jobstate.jobs.creation.CreateOutcome;
import io.jobstate.jobs.creation.NewJob;
import io.jobstate.jobs.lease.HeartbeatOutcome;
import io.jobstate.jobs.listing.JobPage;
import io.jobstate.jobs.listing.JobQuery;
import io.jobstate.jobs.progress.ProgressOutcome;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.ConflictReason;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.JobstatePersistence;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.support.DatabaseTest;
import io.jobstate.persistence.support.Histories;
import io.jobstate.persistence.support.JobsInStatus;
import io.jobstate.persistence.support.Sql;
import io.jobstate.persistence.testing.WrittenEvents;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one contract every {@link JobStore} path passes, against a real PostgreSQL. Subclasses name
 * the path; every test here runs for each.
 */
abstract class JobStoreContract extends DatabaseTest {

    private JobStore store;

    abstract LockingPath path();

    @BeforeAll
    void storeOfThePath() {
        store = fixture.store(path());
    }

    // ---- creation and reads ----

    @Test
    void aCreatedJobIsPendingAtVersionZeroWithAnEmptyHistory() {
        Job job = created(NewJob.of("build").withPayload("{\"repo\": \"x\"}"));

        assertThat(job.status()).isEqualTo(JobStatus.PENDING);
        assertThat(job.version()).isZero();
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(job.payload()).isEqualTo("{\"repo\": \"x\"}");
        assertThat(store.find(job.id())).contains(job);
        assertThat(Histories.of(store, job.id())).contains(List.of());
    }

    @Test
    void creatingAgainWithTheSameKeyAndRequestAnswersTheJobAsItWasCreated() {
        NewJob request = NewJob.of("build").withPayload("{\"n\": 1}").withIdempotencyKey(uniqueKey());
        Job first = created(request);
        CreateOutcome whilePending = store.create(request);
        applied(first.id(), TransitionRequest.to(JobStatus.RUNNING));

        CreateOutcome afterItMovedOn = store.create(request);

        assertThat(whilePending).isEqualTo(new CreateOutcome.Replayed(first));
        assertThat(afterItMovedOn).isEqualTo(new CreateOutcome.Replayed(first));
    }

    @Test
    void creatingWithAKnownKeyButADifferentRequestIsRefused() {
        String key = uniqueKey();
        Job first = created(NewJob.of("build").withIdempotencyKey(key));

        CreateOutcome other = store.create(NewJob.of("deploy").withIdempotencyKey(key));

        assertThat(other).isEqualTo(new CreateOutcome.KeyReused(first));
    }

    @Test
    void anInvalidCreationWritesNothing() throws Exception {
        long before = jobCount();

        CreateOutcome outcome = store.create(NewJob.of(""));

        assertThat(outcome).isInstanceOf(CreateOutcome.Invalid.class);
        assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void concurrentCreationsWithOneKeyMakeOneJob() throws Exception {
        NewJob request = NewJob.of("build").withIdempotencyKey(uniqueKey());
        int callers = 8;
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<CreateOutcome> outcomes = new ArrayList<>();
        try {
            List<Future<CreateOutcome>> futures = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                futures.add(pool.submit(() -> {
                    gate.await();
                    return store.create(request);
                }));
            }
            gate.countDown();
            for (Future<CreateOutcome> future : futures) {
                outcomes.add(future.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(outcomes).filteredOn(CreateOutcome.Created.class::isInstance).hasSize(1);
        Job job = ((CreateOutcome.Created) outcomes.stream().filter(CreateOutcome.Created.class::isInstance)
                .findFirst().orElseThrow()).job();
        assertThat(outcomes).filteredOn(o -> !(o instanceof CreateOutcome.Created))
                .containsOnly(new CreateOutcome.Replayed(job));
    }

    @Test
    void jsonThatPostgresqlCannotStoreIsInvalidAndWritesNothing() throws Exception {
        Job running = jobIn(JobStatus.RUNNING);
        Job pending = jobIn(JobStatus.PENDING);
        long jobs = jobCount();

        TransitionOutcome completed = store.transition(running.id(), JobsInStatus.asWorker(running,
                TransitionRequest.to(JobStatus.COMPLETED).withResult("{\"a\": \"\\u0000\"}")));
        CreateOutcome created = store.create(NewJob.of("build").withPayload("[\"\\u0000\"]"));

        TransitionOutcome illegalAndUnstorable = store.transition(pending.id(),
                TransitionRequest.to(JobStatus.COMPLETED).withResult("{\"a\": \"\\u0000\"}"));
        String deep = "[".repeat(20_000) + "]".repeat(20_000);
        TransitionOutcome tooDeep = store.transition(running.id(),
                JobsInStatus.asWorker(running, TransitionRequest.to(JobStatus.COMPLETED).withResult(deep)));

        assertThat(completed).isInstanceOf(TransitionOutcome.Invalid.class);
        assertThat(created).isInstanceOf(CreateOutcome.Invalid.class);
        assertThat(illegalAndUnstorable).isInstanceOf(TransitionOutcome.Invalid.class);
        assertThat(tooDeep).isInstanceOf(TransitionOutcome.Invalid.class);
        assertThat(store.find(running.id())).contains(running);
        assertThat(jobCount()).isEqualTo(jobs);
    }

    @Test
    void anUnknownJobIsNotFoundEverywhere() {
        UUID unknown = UUID.randomUUID();

        assertThat(store.find(unknown)).isEmpty();
        assertThat(Histories.of(store, unknown)).isEmpty();
        assertThat(store.transition(unknown, TransitionRequest.to(JobStatus.RUNNING)))
                .isEqualTo(new TransitionOutcome.NotFound(unknown));
        assertThat(store.reportProgress(unknown, 10, "token")).isEqualTo(new ProgressOutcome.NotFound(unknown));
    }

    // ---- every (from, to) pair ----


    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("io.jobstate.persistence.support.StatusPairs#allPairs")
    void everyPairIsAppliedExactlyWhenLegalWithTheDomainsEffects(JobStatus from, JobStatus to) throws Exception {
        Job before = jobIn(from);
        TransitionRequest request = JobsInStatus.asWorker(before, requestWithDetails(to));

        TransitionOutcome outcome = store.transition(before.id(), request);

        if (to == JobStatus.PENDING) {
            assertThat(outcome).isInstanceOf(TransitionOutcome.Invalid.class);
        } else if (from.canTransitionTo(to)) {
            Job after = ((TransitionOutcome.Applied) outcome).job();
            assertThat(((TransitionOutcome.Applied) outcome).from()).isEqualTo(from);
            // the same job the domain makes, except the lease token, which is random
            assertThat(after).usingRecursiveComparison().ignoringFields("lease.token")
                    .isEqualTo(before.transitionedTo(to, request.result(), request.error(), after.updatedAt()));
            assertThat(store.find(before.id())).contains(after);
            assertThat(Histories.of(store, before.id()).orElseThrow().getLast())
                    .isEqualTo(new HistoryEntry(after.version(), from, to, after.updatedAt(), after.attempt(), null, null,
                            null, request.reason(), HistoryEntry.StateAfter.of(after)));
        } else {
            assertThat(outcome).isEqualTo(new TransitionOutcome.Conflict(before, to, ConflictReason.ILLEGAL_TRANSITION));
        }
        if (!(outcome instanceof TransitionOutcome.Applied)) {
            assertThat(store.find(before.id())).contains(before);
        }
        assertOutboxEqualsHistory(before.id());
    }

    // ---- expectations and preconditions ----

    @Test
    void aStaleExpectedStatusConflictsAndWritesNothing() {
        Job queued = jobIn(JobStatus.QUEUED);

        TransitionOutcome outcome = store.transition(queued.id(),
                TransitionRequest.to(JobStatus.RUNNING).expectingStatus(JobStatus.PENDING));

        assertThat(outcome).isEqualTo(new TransitionOutcome.Conflict(queued, JobStatus.RUNNING, ConflictReason.STALE_STATUS));
        assertThat(store.find(queued.id())).contains(queued);
    }

    @Test
    void aStaleExpectedVersionConflicts() {
        Job queued = jobIn(JobStatus.QUEUED);

        TransitionOutcome outcome = store.transition(queued.id(), TransitionRequest.to(JobStatus.RUNNING).expectingVersion(0L));

        assertThat(outcome).isEqualTo(new TransitionOutcome.Conflict(queued, JobStatus.RUNNING, ConflictReason.STALE_VERSION));
    }

    @Test
    void aMismatchedIfMatchFailsThePrecondition() {
        Job queued = jobIn(JobStatus.QUEUED);

        TransitionOutcome outcome = store.transition(queued.id(), TransitionRequest.to(JobStatus.RUNNING).ifMatch(0L));

        assertThat(outcome).isEqualTo(new TransitionOutcome.PreconditionFailed(queued));
    }

    @Test
    void currentExpectationsLetTheTransitionApply() {
        Job queued = jobIn(JobStatus.QUEUED);

        TransitionOutcome outcome = store.transition(queued.id(), TransitionRequest.to(JobStatus.RUNNING)
                .ifMatch(1L).expectingVersion(1L).expectingStatus(JobStatus.QUEUED));

        assertThat(outcome).isInstanceOfSatisfying(TransitionOutcome.Applied.class,
                applied -> assertThat(applied.job().version()).isEqualTo(2));
    }

    // ---- idempotency ----

    @Test
    void aRepeatedKeyedRequestIsReplayedEvenWithAStaleIfMatchAndWritesNothing() throws Exception {
        Job pending = jobIn(JobStatus.PENDING);
        TransitionRequest request = TransitionRequest.to(JobStatus.RUNNING).withIdempotencyKey(uniqueKey()).ifMatch(0L);
        Job running = ((TransitionOutcome.Applied) store.transition(pending.id(), request)).job();

        TransitionOutcome again = store.transition(pending.id(), request);

        HistoryEntry original = new HistoryEntry(1, JobStatus.PENDING, JobStatus.RUNNING, running.updatedAt(), 1,
                request.idempotencyKey(), request.fingerprint(), null, null, HistoryEntry.StateAfter.of(running));
        assertThat(again).isEqualTo(new TransitionOutcome.Replayed(running, original));
        assertThat(Histories.of(store, pending.id()).orElseThrow()).containsExactly(original);
        assertOutboxEqualsHistory(pending.id());
    }

    @Test
    void aReplayAnswersTheJobAsTheOriginalLeftItWithItsRunsLeaseAfterTheJobMovedOn() {
        Job pending = jobIn(JobStatus.PENDING);
        TransitionRequest start = TransitionRequest.to(JobStatus.RUNNING).withIdempotencyKey(uniqueKey());
        Job firstRun = applied(pending.id(), start);
        store.reportProgress(pending.id(), 60, firstRun.lease().token());
        store.heartbeat(pending.id(), firstRun.lease().token());
        applied(pending.id(), TransitionRequest.to(JobStatus.FAILED).withError("boom").withLeaseToken(firstRun.lease().token()));
        applied(pending.id(), TransitionRequest.to(JobStatus.QUEUED));
        Job secondRun = applied(pending.id(), TransitionRequest.to(JobStatus.RUNNING));

        TransitionOutcome replay = store.transition(pending.id(), start);

        assertThat(replay).isInstanceOfSatisfying(TransitionOutcome.Replayed.class, replayed -> {
            assertThat(replayed.job()).isEqualTo(firstRun);
            assertThat(replayed.job().lease().token()).isNotEqualTo(secondRun.lease().token());
        });
        assertThat(store.find(pending.id())).contains(secondRun);
    }

    @Test
    void aReplayedFailureAndCompletionShowTheirOwnErrorAndResult() {
        Job running = jobIn(JobStatus.RUNNING);
        TransitionRequest fail = TransitionRequest.to(JobStatus.FAILED).withError("disk full")
                .withLeaseToken(running.lease().token()).withIdempotencyKey(uniqueKey());
        Job failed = applied(running.id(), fail);
        applied(running.id(), TransitionRequest.to(JobStatus.QUEUED));
        Job again = applied(running.id(), TransitionRequest.to(JobStatus.RUNNING));
        TransitionRequest complete = TransitionRequest.to(JobStatus.COMPLETED).withResult("{\"b\": 2, \"a\": 1}")
                .withLeaseToken(again.lease().token()).withIdempotencyKey(uniqueKey());
        Job completed = applied(running.id(), complete);

        assertThat(store.transition(running.id(), fail)).isInstanceOfSatisfying(TransitionOutcome.Replayed.class,
                replayed -> assertThat(replayed.job()).isEqualTo(failed));
        assertThat(store.transition(running.id(), complete)).isInstanceOfSatisfying(TransitionOutcome.Replayed.class,
                replayed -> assertThat(replayed.job()).isEqualTo(completed));
        assertThat(Histories.of(store, running.id()).orElseThrow()).filteredOn(e -> e.to() == JobStatus.FAILED)
                .extracting(HistoryEntry::error).contains("disk full");
    }

    @Test
    void aHistoryEntryRecordedBeforeContractOneReplaysTheJobAsItIsNowWithoutALaterRunsToken() throws Exception {
        Job pending = jobIn(JobStatus.PENDING);
        TransitionRequest start = TransitionRequest.to(JobStatus.RUNNING).withIdempotencyKey(uniqueKey());
        Job firstRun = applied(pending.id(), start);
        // what a row written before schema V4 looks like: no recorded state
        try (Connection connection = fixture.connect();
             java.sql.PreparedStatement statement = connection.prepareStatement("UPDATE job_history SET progress = NULL,"
                     + " result = NULL, error = NULL, started_at = NULL, finished_at = NULL, lease_token = NULL,"
                     + " lease_expires_at = NULL, lease_seconds = NULL WHERE job_id = ?")) {
            statement.setObject(1, pending.id());
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }

        TransitionOutcome whileItsRun = store.transition(pending.id(), start);
        applied(pending.id(), TransitionRequest.to(JobStatus.FAILED).withError("boom"));
        applied(pending.id(), TransitionRequest.to(JobStatus.QUEUED));
        Job secondRun = applied(pending.id(), TransitionRequest.to(JobStatus.RUNNING));
        TransitionOutcome afterwards = store.transition(pending.id(), start);

        assertThat(whileItsRun).isInstanceOfSatisfying(TransitionOutcome.Replayed.class,
                replayed -> assertThat(replayed.job()).isEqualTo(firstRun));
        assertThat(afterwards).isInstanceOfSatisfying(TransitionOutcome.Replayed.class, replayed -> {
            assertThat(replayed.job().version()).isEqualTo(secondRun.version());
            assertThat(replayed.job().lease()).isNull();
        });
    }

    @Test
    void aKeyReusedForADifferentRequestConflicts() {
        Job pending = jobIn(JobStatus.PENDING);
        String key = uniqueKey();
        Job running = ((TransitionOutcome.Applied) store.transition(pending.id(),
                TransitionRequest.to(JobStatus.RUNNING).withIdempotencyKey(key))).job();

        TransitionOutcome outcome = store.transition(pending.id(), TransitionRequest.to(JobStatus.CANCELLED).withIdempotencyKey(key));

        assertThat(outcome).isEqualTo(new TransitionOutcome.Conflict(running, JobStatus.CANCELLED,
                ConflictReason.IDEMPOTENCY_KEY_REUSED));
    }

    @Test
    void theSameKeyMayBeUsedOnDifferentJobs() {
        String key = uniqueKey();
        Job one = jobIn(JobStatus.PENDING);
        Job two = jobIn(JobStatus.PENDING);

        assertThat(store.transition(one.id(), TransitionRequest.to(JobStatus.QUEUED).withIdempotencyKey(key)))
                .isInstanceOf(TransitionOutcome.Applied.class);
        assertThat(store.transition(two.id(), TransitionRequest.to(JobStatus.QUEUED).withIdempotencyKey(key)))
                .isInstanceOf(TransitionOutcome.Applied.class);
    }

    @Test
    void theAppliedSnapshotShowsJsonAsEveryLaterReadWill() {
        Job running = jobIn(JobStatus.RUNNING);

        Job completed = applied(running.id(), TransitionRequest.to(JobStatus.COMPLETED).withResult("{\"b\":1,  \"a\":[1,2]}"));

        assertThat(store.find(running.id())).contains(completed);
        assertThat(completed.result()).isEqualTo("{\"a\": [1, 2], \"b\": 1}");
    }

    // ---- a whole life ----

    @Test
    void aRetriedJobKeepsAContiguousHistoryAcrossAttempts() throws Exception {
        Job job = jobIn(JobStatus.FAILED);
        for (JobStatus next : List.of(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.COMPLETED)) {
            job = applied(job.id(), requestWithDetails(next));
        }

        assertThat(job.attempt()).isEqualTo(2);
        assertThat(job.result()).isEqualTo("{\"ok\": true}");
        assertThat(Histories.of(store, job.id()).orElseThrow())
                .extracting(HistoryEntry::version, HistoryEntry::from, HistoryEntry::to, HistoryEntry::attempt)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1L, JobStatus.PENDING, JobStatus.RUNNING, 1),
                        org.assertj.core.groups.Tuple.tuple(2L, JobStatus.RUNNING, JobStatus.FAILED, 1),
                        org.assertj.core.groups.Tuple.tuple(3L, JobStatus.FAILED, JobStatus.QUEUED, 2),
                        org.assertj.core.groups.Tuple.tuple(4L, JobStatus.QUEUED, JobStatus.RUNNING, 2),
                        org.assertj.core.groups.Tuple.tuple(5L, JobStatus.RUNNING, JobStatus.COMPLETED, 2));
        assertOutboxEqualsHistory(job.id());
    }

    // ---- progress ----

    @Test
    void progressMovesForwardOnlyWhileRunningAndNeverTouchesTheVersion() {
        Job running = jobIn(JobStatus.RUNNING);

        ProgressOutcome forward = store.reportProgress(running.id(), 40, running.lease().token());
        ProgressOutcome same = store.reportProgress(running.id(), 40, running.lease().token());
        ProgressOutcome backwards = store.reportProgress(running.id(), 39, running.lease().token());

        Job at40 = ((ProgressOutcome.Updated) forward).job();
        assertThat(at40.progress()).isEqualTo(40);
        assertThat(at40.version()).isEqualTo(running.version());
        assertThat(same).isInstanceOf(ProgressOutcome.Updated.class);
        assertThat(backwards).isInstanceOfSatisfying(ProgressOutcome.Rejected.class,
                rejected -> assertThat(rejected.reason()).isEqualTo(ConflictReason.BACKWARDS));
        assertThat(store.find(running.id()).orElseThrow().progress()).isEqualTo(40);
    }

    @Test
    void progressIsRejectedForJobsThatAreNotRunning() {
        for (JobStatus status : List.of(JobStatus.PENDING, JobStatus.QUEUED, JobStatus.COMPLETED, JobStatus.FAILED,
                JobStatus.CANCELLED)) {
            Job job = jobIn(status);
            assertThat(store.reportProgress(job.id(), 50, "some run's token")).as(status.name())
                    .isEqualTo(new ProgressOutcome.Rejected(job, ConflictReason.NOT_RUNNING));
            assertThat(store.find(job.id())).contains(job);
        }
    }

    @Test
    void aReportOrHeartbeatWithoutALeaseTokenIsInvalidAndWritesNothing() {
        Job running = jobIn(JobStatus.RUNNING);

        assertThat(store.reportProgress(running.id(), 50, null)).isInstanceOf(ProgressOutcome.Invalid.class);
        assertThat(store.heartbeat(running.id(), null)).isInstanceOf(HeartbeatOutcome.Invalid.class);
        assertThat(store.find(running.id())).contains(running);
    }

    @Test
    void progressOutOfRangeIsInvalid() {
        Job running = jobIn(JobStatus.RUNNING);
        assertThat(store.reportProgress(running.id(), 101, running.lease().token())).isInstanceOf(ProgressOutcome.Invalid.class);
        assertThat(store.reportProgress(running.id(), -1, running.lease().token())).isInstanceOf(ProgressOutcome.Invalid.class);
    }

    // ---- leases ----

    @Test
    void runningGrantsALeaseOnTheDatabaseClockOfTheAskedLength() throws Exception {
        Job pending = jobIn(JobStatus.PENDING);

        Job running = applied(pending.id(), TransitionRequest.to(JobStatus.RUNNING).withLeaseSeconds(120));

        assertThat(running.lease().seconds()).isEqualTo(120);
        assertThat(Duration.between(running.updatedAt(), running.lease().expiresAt()))
                .isBetween(Duration.ofSeconds(120), Duration.ofSeconds(121));
        assertThat(store.find(running.id())).contains(running);
        try (Connection connection = fixture.connect()) {
            assertThat(Sql.count(connection, "SELECT count(*) FROM jobs WHERE id = ? AND lease_expires_at"
                    + " BETWEEN clock_timestamp() + interval '110 seconds' AND clock_timestamp() + interval '121 seconds'",
                    running.id())).as("expiry on the database's clock").isEqualTo(1);
        }
    }

    @Test
    void completingOrFailingWithoutTheRunsTokenIsALeaseMismatchAndWritesNothing() {
        Job running = jobIn(JobStatus.RUNNING);
        for (TransitionRequest finish : List.of(requestWithDetails(JobStatus.COMPLETED), requestWithDetails(JobStatus.FAILED))) {
            for (String token : java.util.Arrays.asList(null, "not-this-run")) {
                assertThat(store.transition(running.id(), finish.withLeaseToken(token))).isEqualTo(
                        new TransitionOutcome.Conflict(running, finish.to(), ConflictReason.LEASE_MISMATCH));
            }
        }
        assertThat(store.find(running.id())).contains(running);
        Job cancelled = applied(running.id(), TransitionRequest.to(JobStatus.CANCELLED));
        assertThat(cancelled.lease()).as("cancelling needs no token and ends the lease").isNull();
    }

    @Test
    void aWorkerOfAnEarlierRunCanNeverChangeTheRetriedRun() {
        Job firstRun = jobIn(JobStatus.RUNNING);
        String zombie = firstRun.lease().token();
        Job failed = applied(firstRun.id(), requestWithDetails(JobStatus.FAILED));
        applied(failed.id(), TransitionRequest.to(JobStatus.QUEUED));
        Job secondRun = applied(failed.id(), TransitionRequest.to(JobStatus.RUNNING));

        TransitionOutcome late = store.transition(secondRun.id(), requestWithDetails(JobStatus.COMPLETED).withLeaseToken(zombie));

        assertThat(secondRun.lease().token()).isNotEqualTo(zombie);
        assertThat(late).isEqualTo(new TransitionOutcome.Conflict(secondRun, JobStatus.COMPLETED, ConflictReason.LEASE_MISMATCH));
        assertThat(store.heartbeat(secondRun.id(), zombie))
                .isEqualTo(new HeartbeatOutcome.Rejected(secondRun, ConflictReason.LEASE_MISMATCH));
        assertThat(store.reportProgress(secondRun.id(), 50, zombie))
                .isEqualTo(new ProgressOutcome.Rejected(secondRun, ConflictReason.LEASE_MISMATCH));
        assertThat(store.find(secondRun.id())).contains(secondRun);
    }

    @Test
    void aHeartbeatRenewsTheLeaseFromNowWithoutTouchingTheVersion() {
        Job running = applied(jobIn(JobStatus.PENDING).id(), TransitionRequest.to(JobStatus.RUNNING).withLeaseSeconds(60));

        HeartbeatOutcome outcome = store.heartbeat(running.id(), running.lease().token());

        assertThat(outcome).isInstanceOfSatisfying(HeartbeatOutcome.Renewed.class, renewed -> {
            assertThat(renewed.job().version()).isEqualTo(running.version());
            assertThat(renewed.job().lease().token()).isEqualTo(running.lease().token());
            assertThat(renewed.job().lease().expiresAt()).isAfter(running.lease().expiresAt());
        });
        Job completed = jobIn(JobStatus.COMPLETED);
        assertThat(store.heartbeat(completed.id(), "any"))
                .isEqualTo(new HeartbeatOutcome.Rejected(completed, ConflictReason.NOT_RUNNING));
        UUID unknown = UUID.randomUUID();
        assertThat(store.heartbeat(unknown, "any")).isEqualTo(new HeartbeatOutcome.NotFound(unknown));
    }

    @Test
    void theReaperFailsExactlyTheExpiredLeasesAsTheReaper() throws Exception {
        Job expired = jobIn(JobStatus.RUNNING);
        Job alive = jobIn(JobStatus.RUNNING);
        expire(expired.id());

        List<Job> reaped = store.reapExpiredLeases(1000);

        assertThat(reaped).extracting(Job::id).contains(expired.id()).doesNotContain(alive.id());
        Job failed = store.find(expired.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).isEqualTo(JobStore.LEASE_EXPIRED);
        assertThat(failed.lease()).isNull();
        assertThat(Histories.of(store, expired.id()).orElseThrow().getLast())
                .extracting(HistoryEntry::to, HistoryEntry::actor).containsExactly(JobStatus.FAILED, HistoryEntry.REAPER);
        assertThat(store.find(alive.id())).contains(alive);
        assertThat(store.reapExpiredLeases(1000)).extracting(Job::id).doesNotContain(expired.id());
        assertOutboxEqualsHistory(expired.id());
    }

    @Test
    void aLeaseRunsOutOnItsOwnAndIsReaped() {
        Job running = applied(jobIn(JobStatus.PENDING).id(), TransitionRequest.to(JobStatus.RUNNING).withLeaseSeconds(1));

        // polls the reaper as the server's schedule does, until the database clock passes the expiry
        List<Job> reaped = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> store.reapExpiredLeases(1000), jobs -> jobs.stream().anyMatch(j -> j.id().equals(running.id())));

        assertThat(reaped).filteredOn(j -> j.id().equals(running.id())).singleElement()
                .satisfies(job -> assertThat(job.updatedAt()).isAfterOrEqualTo(running.lease().expiresAt()));
    }

    /** Moves the job's lease expiry into the past (the database's), as time passing would. */
    private void expire(UUID id) throws Exception {
        try (Connection connection = fixture.connect();
             java.sql.PreparedStatement statement = connection.prepareStatement(
                     "UPDATE jobs SET lease_expires_at = clock_timestamp() - interval '1 second' WHERE id = ?")) {
            statement.setObject(1, id);
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
    }

    // ---- listing ----

    @Test
    void listingPagesThroughEveryMatchingJobNewestFirstWithoutRepeats() {
        String type = "list-" + uniqueKey();
        List<UUID> createdIds = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            createdIds.add(created(NewJob.of(type)).id());
        }
        applied(createdIds.get(2), TransitionRequest.to(JobStatus.QUEUED));

        List<Job> seen = new ArrayList<>();
        JobQuery query = JobQuery.firstPage().withType(type).withLimit(3);
        JobPage page;
        do {
            page = store.list(query);
            seen.addAll(page.items());
            query = query.after(page.next());
        } while (page.nextCursor().isPresent());

        assertThat(seen).extracting(Job::id).containsExactlyInAnyOrderElementsOf(createdIds).doesNotHaveDuplicates();
        assertThat(seen).isSortedAccordingTo((a, b) -> b.createdAt().compareTo(a.createdAt()) != 0
                ? b.createdAt().compareTo(a.createdAt()) : b.id().compareTo(a.id()));
        assertThat(store.list(JobQuery.firstPage().withType(type).withStatus(JobStatus.QUEUED)).items())
                .extracting(Job::id).containsExactly(createdIds.get(2));
    }

    // ---- counts ----

    @Test
    void countsFollowCreationsTransitionsAndTheReaperAndEqualTheJobsTable() throws Exception {
        StatusCounts before = store.counts();

        created(NewJob.of("count"));
        jobIn(JobStatus.COMPLETED);
        jobIn(JobStatus.CANCELLED);
        Job retried = applied(jobIn(JobStatus.FAILED).id(), TransitionRequest.to(JobStatus.QUEUED));
        Job reaped = jobIn(JobStatus.RUNNING);
        expire(reaped.id());
        assertThat(store.reapExpiredLeases(1000)).extracting(Job::id).contains(reaped.id());
        store.reportProgress(jobIn(JobStatus.RUNNING).id(), 0, "not-this-run");
        store.transition(retried.id(), TransitionRequest.to(JobStatus.COMPLETED));

        StatusCounts after = store.counts();
        assertThat(difference(before, after)).isEqualTo(Map.of(JobStatus.PENDING, 1L, JobStatus.QUEUED, 1L,
                JobStatus.RUNNING, 1L, JobStatus.COMPLETED, 1L, JobStatus.FAILED, 1L, JobStatus.CANCELLED, 1L));
        assertThat(after.byStatus()).isEqualTo(countedInTheJobsTable());
    }

    @Test
    void countsNameTheFeedPositionTheyAlreadyReflect() {
        EventLog events = JobstatePersistence.eventLog(fixture.dataSource());
        long published = events.publish().lastSeq();
        assertThat(store.counts().lastSeq()).isEqualTo(published);

        jobIn(JobStatus.QUEUED);
        StatusCounts beforePublishing = store.counts();
        long now = events.publish().lastSeq();

        // a committed transition is counted at once; its event gets its number when it is published
        assertThat(beforePublishing.lastSeq()).isEqualTo(published);
        assertThat(now).isGreaterThan(published);
        assertThat(store.counts().lastSeq()).isEqualTo(now);
    }

    // ---- helpers ----

    private Job created(NewJob request) {
        return ((CreateOutcome.Created) store.create(request)).job();
    }

    /** Applies {@code request} as the current run's worker would send it (with its lease token). */
    private Job applied(UUID id, TransitionRequest request) {
        TransitionOutcome outcome = store.transition(id, JobsInStatus.asWorker(store.find(id).orElseThrow(), request));
        assertThat(outcome).isInstanceOf(TransitionOutcome.Applied.class);
        return ((TransitionOutcome.Applied) outcome).job();
    }

    private Job jobIn(JobStatus status) {
        return JobsInStatus.jobIn(store, status);
    }

    private static TransitionRequest requestWithDetails(JobStatus to) {
        return JobsInStatus.requestWithDetails(to);
    }

    private void assertOutboxEqualsHistory(UUID id) throws Exception {
        try (Connection connection = fixture.connect()) {
            List<List<Object>> history = Sql.rows(connection,
                    "SELECT version, from_status, to_status, at FROM job_history WHERE job_id = ? ORDER BY version", id);
            List<List<Object>> events = Sql.rows(connection,
                    "SELECT version, from_status, to_status, at FROM " + WrittenEvents.TABLE + " e WHERE job_id = ? ORDER BY outbox_id", id);
            assertThat(events).isEqualTo(history);
        }
    }

    private static Map<JobStatus, Long> difference(StatusCounts before, StatusCounts after) {
        Map<JobStatus, Long> difference = new EnumMap<>(JobStatus.class);
        for (JobStatus status : JobStatus.values()) {
            difference.put(status, after.of(status) - before.of(status));
        }
        return difference;
    }

    private Map<JobStatus, Long> countedInTheJobsTable() throws Exception {
        Map<JobStatus, Long> counted = new EnumMap<>(JobStatus.class);
        for (JobStatus status : JobStatus.values()) {
            counted.put(status, 0L);
        }
        try (Connection connection = fixture.connect()) {
            for (List<Object> row : Sql.rows(connection, "SELECT status, count(*) FROM jobs GROUP BY status")) {
                counted.put(JobStatus.valueOf((String) row.get(0)), ((Number) row.get(1)).longValue());
            }
        }
        return counted;
    }

    private long jobCount() throws Exception {
        try (Connection connection = fixture.connect()) {
            return Sql.count(connection, "SELECT count(*) FROM jobs");
        }
    }

    private static String uniqueKey() {
        return UUID.randomUUID().toString();
    }
}
