package io.jobstate.it.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.client.testing.ClientContainer;
import io.jobstate.it.Deployments;
import io.jobstate.testing.postgres.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Workers with one-second leases and random stalls, split over two server instances whose reapers
 * both run (every 0.25 s) on the one database. The storm checker must pass with the reaper's rows in
 * the histories, and no job may stay RUNNING past its lease by more than one reaper period (plus a
 * second of scheduling slack on these two-core machines), sampled every 100 ms throughout.
 */
class LeaseStormIT extends StormTest {

    private static final int WORKERS = 16;
    private static final int RESCUERS = 2;
    private static final int JOBS_EACH = 6;
    private static final double REAPER_PERIOD_SECONDS = 0.25;
    private static final double SLACK_SECONDS = 1.0;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.jobstate("cas");
    }

    @Test
    void stalledWorkersAreReapedOnceAndFencedAndNoLeaseOutlivesItsReaperPeriod(TestDatabase database) throws Exception {
        ExchangeLog.reset();
        Tally tally = new Tally();
        Queue<UUID> jobs = new ConcurrentLinkedQueue<>();
        LeaseWorker.Counts counts = new LeaseWorker.Counts();
        AtomicLong worstOverdueMillis = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS + RESCUERS);
        try (SecondLiberty second = SecondLiberty.start(Deployments.jobstate("cas"));
             ClientContainer client = startClient();
             Connection db = database.connect()) {
            sampler.scheduleAtFixedRate(() -> worstOverdueMillis.accumulateAndGet(overdueMillis(database), Math::max),
                    0, 100, TimeUnit.MILLISECONDS);
            CyclicBarrier start = new CyclicBarrier(WORKERS + RESCUERS);
            LeaseWorker.Stage stage = new LeaseWorker.Stage(client.coordinator(), client.api(), tally, jobs, counts, start);
            List<Future<?>> working = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                working.add(pool.submit(LeaseWorker.worker(stage, w % 2 == 0 ? firstPort() : second.port(), 31L + w, JOBS_EACH)));
            }
            List<Future<?>> rescuing = new ArrayList<>();
            for (int r = 0; r < RESCUERS; r++) {
                rescuing.add(pool.submit(LeaseWorker.rescuer(stage, r % 2 == 0 ? second.port() : firstPort(), 97L + r,
                        () -> working.stream().anyMatch(f -> !f.isDone()))));
            }
            for (Future<?> participant : working) {
                participant.get(STORM_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            for (Future<?> participant : rescuing) {
                participant.get(STORM_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            // every lease of the storm has run out by now plus one reaper period: sample once more after that
            awaitNoOverdue(database);
            sampler.shutdown();
            assertThat(sampler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

            List<UUID> stormJobs = List.copyOf(jobs);
            List<String> violations = HistoryChecker.check(db, new Storm.Outcome(stormJobs, tally),
                    ExchangeLog.exchanges(), HistoryChecker.Allowed.nothingElse());
            long reaped = count(db, "SELECT count(*) FROM job_history WHERE actor = 'reaper' AND job_id = ANY (?)", stormJobs);
            long reapedTwice = count(db, "SELECT count(*) FROM (SELECT job_id, version FROM job_history WHERE actor = 'reaper'"
                    + " AND job_id = ANY (?) GROUP BY job_id, version HAVING count(*) > 1) twice", stormJobs);
            long stillRunning = count(db, "SELECT count(*) FROM jobs WHERE status = 'RUNNING' AND id = ANY (?)", stormJobs);
            System.out.printf("lease storm [%s]: workers=%d rescuers=%d instances=2 jobs=%d runs=%d stalls=%d reaped=%d"
                            + " rescues=%d fenced-by-lease=%d fenced-after-reaping=%d completed=%d still-running=%d"
                            + " worst-overdue-ms=%d requests=%d checker=%s%n",
                    getClass().getSimpleName(), WORKERS, RESCUERS, stormJobs.size(), counts.runs.sum(), counts.stalls.sum(),
                    reaped, counts.rescues.sum(), counts.fencedByLease.sum(), counts.fencedAfterReaping.sum(),
                    counts.completed.sum(), stillRunning, worstOverdueMillis.get(), ExchangeLog.exchanges().size(),
                    violations.isEmpty() ? "PASS" : "FAIL(" + violations.size() + ")");

            assertThat(violations.subList(0, Math.min(20, violations.size()))).as("checker violations").isEmpty();
            assertThat(reaped).as("stalls outlived their leases").isPositive();
            assertThat(counts.fencedByLease.sum() + counts.fencedAfterReaping.sum()).as("reaped workers came back").isPositive();
            assertThat(reapedTwice).isZero();
            assertThat(stillRunning).isZero();
            assertThat(worstOverdueMillis.get()).as("longest a RUNNING job outlived its lease (ms)")
                    .isLessThanOrEqualTo((long) ((REAPER_PERIOD_SECONDS + SLACK_SECONDS) * 1000));
        } finally {
            sampler.shutdownNow();
            pool.shutdownNow();
        }
    }

    /** The leases left RUNNING when the participants stopped must all be reaped within their period (bounded wait). */
    private static void awaitNoOverdue(TestDatabase database) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(LeaseWorker.LEASE_SECONDS + 10))
                .until(() -> count(database, "SELECT count(*) FROM jobs WHERE type = 'lease-storm' AND status = 'RUNNING'") == 0);
    }

    private static long count(TestDatabase database, String sql) throws SQLException {
        try (Connection db = database.connect(); PreparedStatement statement = db.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** How long (ms) the most overdue RUNNING lease-storm job has outlived its lease now; 0 when none has. */
    private static long overdueMillis(TestDatabase database) {
        try (Connection db = database.connect(); PreparedStatement statement = db.prepareStatement(
                "SELECT coalesce(max(extract(epoch FROM clock_timestamp() - lease_expires_at)) * 1000, 0) FROM jobs"
                        + " WHERE type = 'lease-storm' AND status = 'RUNNING' AND lease_expires_at < clock_timestamp()");
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(Connection db, String sql, List<UUID> jobs) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setArray(1, db.createArrayOf("uuid", jobs.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
