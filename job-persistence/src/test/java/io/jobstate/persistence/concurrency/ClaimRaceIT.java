package io.jobstate.persistence.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.claim.ClaimOutcome;
import io.jobstate.jobs.claim.ClaimRequest;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.support.DatabaseTest;
import io.jobstate.persistence.support.Sql;
import io.jobstate.persistence.testing.HistoryInvariants;
import io.jobstate.persistence.testing.StoredJobs;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Claimers racing each other, cancels, starts, the reaper and their own retries, on real threads against the real
 * database, released at one instant; then the recorded history decides. Each test leaves none of its
 * jobs QUEUED, so that the next one's claims of any type find only their own.
 */
class ClaimRaceIT extends DatabaseTest {

    private static final Logger LOG = Logger.getLogger(ClaimRaceIT.class.getName());
    private static final List<String> TYPES = List.of("claim-race-a", "claim-race-b", "claim-race-c");
    private static final int CLAIMERS = 16;

    @Test
    void racingClaimersTakeEveryQueuedJobExactlyOnceOldestFirstWithinTheirTypes() throws Exception {
        JobStore store = fixture.store(LockingPath.CAS);
        List<UUID> ids = Queue.queued(store, 900, TYPES);
        List<UUID> order;
        try (Connection connection = fixture.connect()) {
            order = Queue.queueOrder(connection, ids);
        }
        // claimer i takes one type in three cases out of four, any type in the fourth
        List<ClaimRequest> requests = new ArrayList<>();
        for (int i = 0; i < CLAIMERS; i++) {
            requests.add((i % 4 == 3 ? ClaimRequest.anyType() : ClaimRequest.of(TYPES.get(i % 3))).by("claimer-" + i));
        }

        List<Object> claimedBy = race(requests.stream().<Callable<?>>map(r -> () -> Queue.drain(store, r)).toList());

        List<UUID> all = new ArrayList<>();
        Map<UUID, String> typeOf = types(ids);
        for (int i = 0; i < CLAIMERS; i++) {
            @SuppressWarnings("unchecked")
            List<UUID> mine = (List<UUID>) claimedBy.get(i);
            all.addAll(mine);
            List<String> allowed = requests.get(i).types();
            assertThat(mine).as("claimer %d's jobs are of its types", i)
                    .allMatch(id -> allowed.isEmpty() || allowed.contains(typeOf.get(id)));
            // every older job of its types had been taken or was being taken when it claimed the next
            List<Integer> positions = mine.stream().map(order::indexOf).toList();
            assertThat(positions).as("claimer %d took its jobs oldest first", i).isSorted();
        }
        assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        try (Connection connection = fixture.connect()) {
            assertThat(HistoryInvariants.check(StoredJobs.read(connection, ids))).isEmpty();
            assertThat(Sql.count(connection, "SELECT count(*) FROM job_history WHERE job_id = ANY (?) AND to_status = 'RUNNING'"
                    + " AND reason = 'claimed' AND actor LIKE 'claimer-%'", (Object) ids.toArray(UUID[]::new)))
                    .isEqualTo(ids.size());
        }
        LOG.info(() -> "racing claimers: jobs=" + ids.size() + " per claimer=" + claimedBy.stream()
                .map(l -> String.valueOf(((List<?>) l).size())).toList());
    }

    @Test
    void aClaimRacingCancelsAndStartsOfTheSameJobsHasOneWinnerAndTakesAnotherJobWhenItLoses() throws Exception {
        JobStore store = fixture.store(LockingPath.CAS);
        List<UUID> ids = Queue.queued(store, 600, List.of("claim-vs-others"));
        List<Callable<?>> racers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ClaimRequest request = ClaimRequest.of("claim-vs-others").by("claimer-" + i);
            racers.add(() -> Queue.drain(store, request));
        }
        // the others go for the same jobs in an order of their own, each only while the job is still QUEUED
        for (int i = 0; i < 4; i++) {
            List<UUID> shuffled = new ArrayList<>(ids);
            Collections.shuffle(shuffled, new Random(i));
            TransitionRequest request = TransitionRequest.to(i % 2 == 0 ? JobStatus.CANCELLED : JobStatus.RUNNING)
                    .expectingStatus(JobStatus.QUEUED).by("other-" + i);
            racers.add(() -> shuffled.stream().filter(id -> store.transition(id, request) instanceof TransitionOutcome.Applied)
                    .toList());
        }

        List<Object> outcomes = race(racers);

        List<UUID> claimed = new ArrayList<>();
        List<UUID> byOthers = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            @SuppressWarnings("unchecked")
            List<UUID> won = (List<UUID>) outcomes.get(i);
            (i < 6 ? claimed : byOthers).addAll(won);
        }
        List<UUID> everyWinner = new ArrayList<>(claimed);
        everyWinner.addAll(byOthers);
        assertThat(everyWinner).as("each job left QUEUED once, by one of them").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(ids);
        try (Connection connection = fixture.connect()) {
            StoredJobs stored = StoredJobs.read(connection, ids);
            assertThat(HistoryInvariants.check(stored)).isEmpty();
            for (UUID id : claimed) {
                assertThat(stored.history(id).getLast().actor()).startsWith("claimer-");
                assertThat(stored.jobs().get(id).status()).isEqualTo(JobStatus.RUNNING);
            }
        }
        LOG.info(() -> "claims vs cancels and starts: jobs=" + ids.size() + " claimed=" + claimed.size()
                + " by others=" + byOthers.size());
        assertThat(claimed).as("the claimers won some of the races").isNotEmpty();
    }

    @Test
    void asManyClaimersAsQueuedJobsAtOnceEachGetOneForALoserTakesAnotherJob() throws Exception {
        JobStore store = fixture.store(LockingPath.CAS);
        int claimers = 8;
        for (int round = 0; round < 30; round++) {
            List<UUID> ids = Queue.queued(store, claimers, List.of("one-each"));
            ClaimRequest request = ClaimRequest.of("one-each");
            List<Object> answers = race(Collections.nCopies(claimers, () -> store.claim(request)));
            assertThat(answers).as("round %d", round).allMatch(ClaimOutcome.Claimed.class::isInstance);
            assertThat(answers.stream().map(a -> ((ClaimOutcome.Claimed) a).job().id()).toList())
                    .containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    @Test
    void attemptsOfOneClaimAtOnceTakeOneJobAndAllAnswerIt() throws Exception {
        JobStore store = fixture.store(LockingPath.CAS);
        int rounds = 40;
        List<UUID> ids = Queue.queued(store, rounds * 2, List.of("claim-retries"));
        Set<UUID> claimed = new HashSet<>();
        for (int round = 0; round < rounds; round++) {
            ClaimRequest request = ClaimRequest.of("claim-retries").withIdempotencyKey("retried-" + round).by("worker");
            List<Object> answers = race(Collections.nCopies(4, () -> store.claim(request)));
            Set<UUID> jobs = new HashSet<>();
            Set<String> leases = new HashSet<>();
            int claims = 0;
            for (Object answer : answers) {
                Job job = switch ((ClaimOutcome) answer) {
                    case ClaimOutcome.Claimed c -> {
                        claims++;
                        yield c.job();
                    }
                    case ClaimOutcome.Replayed r -> r.job();
                    case ClaimOutcome other -> throw new AssertionError("round " + round + ": " + other);
                };
                jobs.add(job.id());
                leases.add(job.lease().token());
            }
            assertThat(claims).as("round %d: one attempt claims, the others replay it", round).isEqualTo(1);
            assertThat(jobs).hasSize(1);
            assertThat(leases).hasSize(1);
            claimed.addAll(jobs);
        }
        assertThat(claimed).hasSize(rounds);
        try (Connection connection = fixture.connect()) {
            assertThat(HistoryInvariants.check(StoredJobs.read(connection, ids))).isEmpty();
        }
        assertThat(Queue.drain(store, ClaimRequest.of("claim-retries"))).hasSize(rounds);
    }

    @Test
    void aReapedRunIsClaimedAgainExactlyOnceAndItsStalledWorkerCanNoLongerFinishIt() throws Exception {
        JobStore store = fixture.store(LockingPath.CAS);
        String type = "claim-vs-reaper";
        int jobs = 300;
        List<UUID> ids = Queue.queued(store, jobs, List.of(type));
        // the first runs: every job claimed, then every lease expired, as by workers that all stalled
        Map<UUID, String> firstLeases = new HashMap<>();
        for (int i = 0; i < jobs; i++) {
            Job job = ((ClaimOutcome.Claimed) store.claim(ClaimRequest.of(type).by("stalled"))).job();
            firstLeases.put(job.id(), job.lease().token());
        }
        expireLeasesOf(type, jobs);
        BlockingQueue<UUID> reaped = new LinkedBlockingQueue<>();
        CountDownLatch reaping = new CountDownLatch(2);
        AtomicBoolean requeuedAll = new AtomicBoolean();
        List<Callable<?>> racers = new ArrayList<>();
        // the stalled workers wake up and complete their runs with their old leases
        List<UUID> shuffled = new ArrayList<>(ids);
        Collections.shuffle(shuffled, new Random(7));
        for (int i = 0; i < 4; i++) {
            List<UUID> theirs = shuffled.subList(i * jobs / 4, (i + 1) * jobs / 4);
            racers.add(() -> theirs.stream().filter(id -> store.transition(id, TransitionRequest.to(JobStatus.COMPLETED)
                    .withResult("{}").withLeaseToken(firstLeases.get(id))) instanceof TransitionOutcome.Applied).toList());
        }
        // two reapers in small batches, each reaped run handed to the retrier
        for (int i = 0; i < 2; i++) {
            racers.add(() -> {
                try {
                    List<UUID> mine = new ArrayList<>();
                    for (List<Job> batch = store.reapExpiredLeases(7); !batch.isEmpty(); batch = store.reapExpiredLeases(7)) {
                        batch.forEach(job -> mine.add(job.id()));
                        reaped.addAll(batch.stream().map(Job::id).toList());
                    }
                    return mine;
                } finally {
                    reaping.countDown();
                }
            });
        }
        // the retrier queues each reaped run again, at once
        racers.add(() -> {
            List<UUID> requeued = new ArrayList<>();
            while (true) {
                boolean reapersDone = reaping.getCount() == 0;
                UUID id = reaped.poll(50, TimeUnit.MILLISECONDS);
                if (id == null && reapersDone) {
                    requeuedAll.set(true);
                    return requeued;
                }
                if (id != null) {
                    assertThat(store.transition(id, TransitionRequest.to(JobStatus.QUEUED).expectingStatus(JobStatus.FAILED)
                            .by("retrier"))).isInstanceOf(TransitionOutcome.Applied.class);
                    requeued.add(id);
                }
            }
        });
        // new workers claim whatever is queued again, until the retrier is done and nothing is left
        for (int i = 0; i < 4; i++) {
            ClaimRequest request = ClaimRequest.of(type).by("second-" + i);
            racers.add(() -> {
                List<Job> mine = new ArrayList<>();
                while (true) {
                    boolean lastRound = requeuedAll.get();
                    if (store.claim(request) instanceof ClaimOutcome.Claimed claimed) {
                        mine.add(claimed.job());
                    } else if (lastRound) {
                        return mine;
                    }
                }
            });
        }

        List<Object> outcomes = race(racers);

        Set<UUID> completedLate = new HashSet<>();
        List<UUID> byReapers = new ArrayList<>();
        List<Job> claimedAgain = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            if (i < 4) {
                completedLate.addAll(uncheckedList(outcomes.get(i)));
            } else if (i < 6) {
                byReapers.addAll(uncheckedList(outcomes.get(i)));
            } else if (i > 6) {
                claimedAgain.addAll(uncheckedList(outcomes.get(i)));
            }
        }
        assertThat(byReapers).as("each run reaped once").doesNotHaveDuplicates();
        assertThat(completedLate).as("a run is completed late or reaped, never both").doesNotContainAnyElementsOf(byReapers);
        assertThat(completedLate.size() + byReapers.size()).isEqualTo(jobs);
        assertThat(uncheckedList(outcomes.get(6))).as("every reaped run queued again").containsExactlyInAnyOrderElementsOf(byReapers);
        assertThat(claimedAgain.stream().map(Job::id).toList()).as("each queued-again job claimed once")
                .containsExactlyInAnyOrderElementsOf(byReapers);
        assertThat(claimedAgain).allMatch(job -> !job.lease().token().equals(firstLeases.get(job.id())));
        try (Connection connection = fixture.connect()) {
            StoredJobs stored = StoredJobs.read(connection, ids);
            assertThat(HistoryInvariants.check(stored)).isEmpty();
            for (UUID id : ids) {
                boolean wasReaped = byReapers.contains(id);
                List<JobStatus> path = stored.history(id).stream().map(StoredJobs.HistoryRow::to).toList();
                assertThat(path).as("history of %s", id).endsWith(wasReaped
                        ? new JobStatus[] {JobStatus.RUNNING, JobStatus.FAILED, JobStatus.QUEUED, JobStatus.RUNNING}
                        : new JobStatus[] {JobStatus.RUNNING, JobStatus.COMPLETED});
                assertThat(stored.history(id).stream().filter(StoredJobs.HistoryRow::reaped).count())
                        .isEqualTo(wasReaped ? 1 : 0);
            }
        }
        LOG.info(() -> "claims vs reaper: jobs=" + jobs + " completed late=" + completedLate.size() + " reaped="
                + byReapers.size() + " claimed again=" + claimedAgain.size());
        assertThat(byReapers).as("the reapers won some of the races").isNotEmpty();
        assertThat(completedLate).as("the stalled workers won some of the races").isNotEmpty();
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> uncheckedList(Object list) {
        return (List<T>) list;
    }

    /** Lets the leases of the RUNNING jobs of {@code type} expire now, as time passing would: {@code count} of them. */
    private void expireLeasesOf(String type, int count) throws SQLException {
        try (Connection connection = fixture.connect()) {
            assertThat(Jobs.expireLeases(connection, "type = '" + type + "' AND status = 'RUNNING'")).isEqualTo(count);
        }
    }

    private Map<UUID, String> types(List<UUID> ids) throws SQLException {
        Map<UUID, String> types = new HashMap<>();
        try (Connection connection = fixture.connect()) {
            for (List<Object> row : Sql.rows(connection, "SELECT id, type FROM jobs WHERE id = ANY (?)",
                    (Object) ids.toArray(UUID[]::new))) {
                types.put((UUID) row.get(0), (String) row.get(1));
            }
        }
        return types;
    }

    /** Runs every callable at the same instant, each on a thread of its own; returns their results in order. */
    private static List<Object> race(List<? extends Callable<?>> racers) {
        return assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            CyclicBarrier start = new CyclicBarrier(racers.size());
            ExecutorService pool = Executors.newFixedThreadPool(racers.size());
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (Callable<?> racer : racers) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        return racer.call();
                    }));
                }
                List<Object> results = new ArrayList<>();
                for (Future<?> future : futures) {
                    results.add(future.get());
                }
                return results;
            } finally {
                pool.shutdownNow();
            }
        });
    }
}
