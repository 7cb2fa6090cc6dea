package io.jobstate.persistence.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.creation.CreateOutcome;
import io.jobstate.jobs.creation.NewJob;
import io.jobstate.jobs.events.EventLog;
import io.jobstate.jobs.events.JobEvent;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.persistence.JobstatePersistence;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.internal.ServiceSql;
import io.jobstate.persistence.support.DatabaseTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Writers whose transactions stay open for random times (so events commit out of write order), two
 * publishers numbering at once (as two server instances do), two consumers polling all the while.
 * Afterwards every consumer must have seen every committed event exactly once, numbered without gaps,
 * each job's events in version order.
 */
class FeedStormIT extends DatabaseTest {

    private static final Logger LOG = Logger.getLogger(FeedStormIT.class.getName());
    private static final int WRITERS = 6;
    private static final int JOBS_PER_WRITER = 10;
    private static final int ROUNDS = 40;
    /** RUNNING → FAILED → QUEUED → RUNNING …: every step legal, so every write applies. */
    private static final List<JobStatus> CYCLE = List.of(JobStatus.RUNNING, JobStatus.FAILED, JobStatus.QUEUED);

    @Test
    void everyConsumerSeesEveryCommittedEventOnceInOrder() throws Exception {
        JobStore store = fixture.store(LockingPath.CAS);
        EventLog log = JobstatePersistence.eventLog(fixture.dataSource());
        long head = log.publish().lastSeq();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(WRITERS + 4);
        try {
            List<Future<Integer>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                List<UUID> jobs = pending(store, JOBS_PER_WRITER);
                writers.add(threads.submit(() -> write(jobs)));
            }
            List<Future<Integer>> publishers = List.of(threads.submit(() -> publishWhile(log, writing)),
                    threads.submit(() -> publishWhile(log, writing)));
            List<FeedConsumer> consumers = List.of(new FeedConsumer(log, head, 50), new FeedConsumer(log, head, 13));
            List<Future<?>> polling = consumers.stream()
                    .<Future<?>>map(c -> threads.submit(() -> pollWhile(c, writing))).toList();

            int written = assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
                int sum = 0;
                for (Future<Integer> writer : writers) {
                    sum += writer.get();
                }
                writing.set(false);
                for (Future<?> f : polling) {
                    f.get();
                }
                return sum;
            });
            int numbered = publishers.get(0).get() + publishers.get(1).get() + log.publish().count();
            LOG.info(() -> "feed storm: written=" + written + " numbered=" + numbered + " by both publishers");

            assertThat(numbered).isEqualTo(written);
            Map<UUID, Long> versions = committedVersions();
            for (FeedConsumer consumer : consumers) {
                consumer.poll();
                List<JobEvent> seen = consumer.seen();
                assertThat(seen).hasSize(written);
                for (int i = 0; i < seen.size(); i++) {
                    assertThat(seen.get(i).seq()).as("seq at %d", i).isEqualTo(head + 1 + i);
                }
                Map<UUID, Long> lastVersion = new HashMap<>();
                for (JobEvent event : seen) {
                    long previous = lastVersion.getOrDefault(event.jobId(), 0L);
                    assertThat(event.version()).as("version after %d of %s", previous, event.jobId()).isEqualTo(previous + 1);
                    lastVersion.put(event.jobId(), event.version());
                }
                assertThat(lastVersion).isEqualTo(versions);
            }
        } finally {
            writing.set(false);
            threads.shutdownNow();
        }
    }

    /** Applies the cycle to each job ROUNDS times, each in a transaction left open for up to 3 ms. */
    private Integer write(List<UUID> jobs) throws Exception {
        int applied = 0;
        try (Connection connection = fixture.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            for (int round = 0; round < ROUNDS; round++) {
                for (UUID job : jobs) {
                    JobStatus to = CYCLE.get(round % CYCLE.size());
                    String sql = ServiceSql.transitionWithLiterals(to, to == JobStatus.FAILED ? "boom" : null, "'" + job + "'");
                    try (Statement statement = connection.createStatement(); ResultSet moved = statement.executeQuery(sql)) {
                        if (moved.next()) {
                            applied++;
                        }
                    }
                    // the workload, not synchronisation: keeps the event uncommitted while others commit
                    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(3_000_000));
                    connection.commit();
                }
            }
        }
        return applied;
    }

    private static Integer publishWhile(EventLog log, AtomicBoolean writing) {
        int numbered = 0;
        while (writing.get()) {
            numbered += log.publish().count();
        }
        return numbered;
    }

    private static void pollWhile(FeedConsumer consumer, AtomicBoolean writing) {
        while (writing.get()) {
            consumer.poll();
        }
    }

    private Map<UUID, Long> committedVersions() throws Exception {
        Map<UUID, Long> versions = new HashMap<>();
        try (Connection connection = fixture.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, version FROM jobs WHERE type = 'feed-storm' AND version > 0")) {
            while (rows.next()) {
                versions.put(rows.getObject(1, UUID.class), rows.getLong(2));
            }
        }
        return versions;
    }

    private static List<UUID> pending(JobStore store, int count) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(((CreateOutcome.Created) store.create(NewJob.of("feed-storm"))).job().id());
        }
        return ids;
    }
}
