package io.jobstate.persistence.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.creation.CreateOutcome;
import io.jobstate.jobs.creation.NewJob;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.support.DatabaseTest;
import io.jobstate.persistence.support.JobsInStatus;
import io.jobstate.persistence.support.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The status counts the database keeps (migration V5) against the jobs table itself, while real
 * threads create jobs and move them on both locking paths and the reaper fails one-second leases.
 * A sampler compares both in one statement, so in one snapshot, all the while. Two controls show
 * that the checks can fail: a counter that reads, then writes (the seed bug, for a counter) loses
 * updates under the same storm; a single counter row makes every writer wait for an open one.
 */
class StatusCountsIT extends DatabaseTest {

    private static final Logger LOG = Logger.getLogger(StatusCountsIT.class.getName());
    private static final int THREADS = 16;
    private static final int OPERATIONS = 250;
    private static final Duration STORM_TIMEOUT = Duration.ofMinutes(2);
    /** Each status's kept count minus the rows of the jobs table in it, in one statement (one snapshot). */
    private static final String DIFFERENCES = "SELECT " + Arrays.stream(JobStatus.values())
            .map(s -> "(SELECT sum(" + s.name().toLowerCase(Locale.ROOT) + ") FROM job_status_counts)"
                    + " - (SELECT count(*) FROM jobs WHERE status = '" + s.name() + "')")
            .collect(Collectors.joining(", "));
    private static final String COUNTING_FUNCTION = "jobs_count_statuses";

    @Test
    void theCountsEqualTheJobsTableInEverySnapshotWhileJobsAreCreatedMovedAndReaped() throws Exception {
        Storm storm = storm(1);

        assertThat(storm.samples()).as("snapshots compared during the storm").isGreaterThan(0);
        assertThat(storm.differingSnapshots()).as("snapshots whose counts differ from the jobs table").isEmpty();
        assertThat(differences()).as("after the storm").containsOnly(0L);
        Map<JobStatus, Long> counted = fixture.store(LockingPath.CAS).counts().byStatus();
        assertThat(counted.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(jobCount());
        LOG.info(() -> "status counts storm: " + storm.samples() + " snapshots compared, final counts " + counted);
    }

    @Test
    void controlACounterThatReadsThenWritesLosesUpdatesUnderTheSameStormAndTheCheckSeesIt() throws Exception {
        String kept = functionDefinition();
        try {
            replaceCountingFunction("""
                    DECLARE
                        entered text := CASE WHEN TG_OP <> 'DELETE' THEN NEW.status END;
                        left_   text := CASE WHEN TG_OP <> 'INSERT' THEN OLD.status END;
                        seen    job_status_counts;
                    BEGIN
                        SELECT * INTO seen FROM job_status_counts WHERE slot = 0;       -- read
                        PERFORM pg_sleep(0.001);                                        -- (widens the window)
                        UPDATE job_status_counts SET                                    -- write what was read, changed
                            pending   = seen.pending   + (entered IS NOT DISTINCT FROM 'PENDING')::int   - (left_ IS NOT DISTINCT FROM 'PENDING')::int,
                            queued    = seen.queued    + (entered IS NOT DISTINCT FROM 'QUEUED')::int    - (left_ IS NOT DISTINCT FROM 'QUEUED')::int,
                            running   = seen.running   + (entered IS NOT DISTINCT FROM 'RUNNING')::int   - (left_ IS NOT DISTINCT FROM 'RUNNING')::int,
                            completed = seen.completed + (entered IS NOT DISTINCT FROM 'COMPLETED')::int - (left_ IS NOT DISTINCT FROM 'COMPLETED')::int,
                            failed    = seen.failed    + (entered IS NOT DISTINCT FROM 'FAILED')::int    - (left_ IS NOT DISTINCT FROM 'FAILED')::int,
                            cancelled = seen.cancelled + (entered IS NOT DISTINCT FROM 'CANCELLED')::int - (left_ IS NOT DISTINCT FROM 'CANCELLED')::int
                        WHERE slot = 0;
                        RETURN NULL;
                    END""");

            Storm storm = storm(2);
            List<Long> after = differences();

            LOG.info(() -> "control (read, then write): " + storm.differingSnapshots().size() + " of " + storm.samples()
                    + " snapshots differ; after the storm, kept minus counted: " + after);
            assertThat(after).as("lost updates after the storm").isNotEqualTo(List.of(0L, 0L, 0L, 0L, 0L, 0L));
        } finally {
            restore(kept);
        }
    }

    @Test
    void anOpenTransactionThatChangedAStatusHoldsUpNoOtherWriter() throws Exception {
        assertThat(writersHeldUpByAnOpenCreation()).as("writers that waited for the open transaction").isZero();
    }

    @Test
    void controlASingleCounterRowMakesEveryWriterWaitForAnOpenTransaction() throws Exception {
        String kept = functionDefinition();
        try {
            replaceCountingFunction(functionDefinition().replaceFirst("(?s).*AS \\$function\\$(.*)\\$function\\$.*", "$1")
                    .replace("(pg_current_xact_id()::text::bigint % 64)::integer", "0"));

            assertThat(writersHeldUpByAnOpenCreation()).isPositive();
        } finally {
            restore(kept);
        }
    }

    // ---- the storm ----

    private record Storm(int samples, List<List<Long>> differingSnapshots) {
    }

    /**
     * {@value #THREADS} threads (half on each locking path) each run {@value #OPERATIONS} random
     * operations: create, move a known job to a random status (RUNNING with a one-second lease, as
     * its worker when it runs), or reap. Meanwhile a sampler compares the counts with the table.
     */
    private Storm storm(long seed) throws Exception {
        JobStore cas = fixture.store(LockingPath.CAS);
        JobStore pessimistic = fixture.store(LockingPath.PESSIMISTIC);
        List<UUID> known = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            known.add(((CreateOutcome.Created) cas.create(NewJob.of("counted"))).job().id());
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean stormRunning = new AtomicBoolean(true);
        try {
            Future<Storm> sampler = pool.submit(() -> sample(start, stormRunning));
            List<Future<?>> callers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                JobStore store = t % 2 == 0 ? cas : pessimistic;
                Random random = new Random(seed * 1_000 + t);
                callers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < OPERATIONS; i++) {
                        operate(store, random, known);
                    }
                    return null;
                }));
            }
            return assertTimeoutPreemptively(STORM_TIMEOUT, () -> {
                start.countDown();
                for (Future<?> caller : callers) {
                    caller.get();
                }
                stormRunning.set(false);
                return sampler.get();
            });
        } finally {
            stormRunning.set(false);
            pool.shutdownNow();
        }
    }

    private static void operate(JobStore store, Random random, List<UUID> known) {
        int dice = random.nextInt(100);
        if (dice < 25) {
            UUID id = ((CreateOutcome.Created) store.create(NewJob.of("counted"))).job().id();
            synchronized (known) {
                known.add(id);
            }
        } else if (dice < 90) {
            UUID id;
            synchronized (known) {
                id = known.get(random.nextInt(known.size()));
            }
            JobStatus[] targets = {JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED};
            JobStatus to = targets[random.nextInt(targets.length)];
            Job current = store.find(id).orElseThrow();
            TransitionRequest request = JobsInStatus.requestWithDetails(to).withLeaseSeconds(to == JobStatus.RUNNING ? 1 : null);
            store.transition(id, JobsInStatus.asWorker(current, request));
        } else {
            store.reapExpiredLeases(100);
        }
    }

    private Storm sample(CountDownLatch start, AtomicBoolean stormRunning) throws Exception {
        start.await();
        int samples = 0;
        List<List<Long>> differing = new ArrayList<>();
        while (stormRunning.get()) {
            List<Long> differences = differences();
            samples++;
            if (!differences.stream().allMatch(d -> d == 0)) {
                differing.add(differences);
            }
        }
        return new Storm(samples, differing);
    }

    // ---- an open transaction ----

    /**
     * Opens a transaction that creates a job and stays open, then lets eight other transactions
     * create one each, with a one-second statement timeout. Counts those that timed out, leaving out
     * any whose transaction id picks the open one's slot (the one in 64 that may wait).
     */
    private int writersHeldUpByAnOpenCreation() throws Exception {
        try (Connection open = fixture.connect()) {
            open.setAutoCommit(false);
            long openSlot = slot(open);
            create(open);
            int heldUp = 0;
            try (Connection other = fixture.connect(); Statement statement = other.createStatement()) {
                statement.execute("SET statement_timeout = '1s'");
                other.setAutoCommit(false);
                for (int i = 0; i < 8; i++) {
                    long slot = slot(other);
                    try {
                        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> create(other));
                        other.commit();
                    } catch (SQLException timedOut) {
                        assertThat(timedOut.getSQLState()).as(timedOut.getMessage()).isEqualTo("57014");
                        other.rollback();
                        if (slot == openSlot) {
                            LOG.info("a writer shared the open transaction's slot by chance: not counted");
                        } else {
                            heldUp++;
                        }
                    }
                }
            } finally {
                open.rollback();
            }
            return heldUp;
        }
    }

    /** The counting slot of the connection's open transaction (it gets its transaction id here). */
    private static long slot(Connection connection) throws SQLException {
        return Sql.count(connection, "SELECT pg_current_xact_id()::text::bigint") % 64;
    }

    /** Creates a PENDING job by SQL in the connection's open transaction. */
    private static void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO jobs (id, type, status, version, attempt, created_at, updated_at)"
                    + " VALUES (gen_random_uuid(), 'open', 'PENDING', 0, 1, now(), now())");
        }
    }

    // ---- the database ----

    private List<Long> differences() throws SQLException {
        try (Connection connection = fixture.connect()) {
            return Sql.rows(connection, DIFFERENCES).getFirst().stream().map(v -> ((Number) v).longValue()).toList();
        }
    }

    private long jobCount() throws SQLException {
        try (Connection connection = fixture.connect()) {
            return Sql.count(connection, "SELECT count(*) FROM jobs");
        }
    }

    private String functionDefinition() throws SQLException {
        try (Connection connection = fixture.connect()) {
            return (String) Sql.rows(connection, "SELECT pg_get_functiondef('" + COUNTING_FUNCTION + "'::regproc)").getFirst().getFirst();
        }
    }

    private void replaceCountingFunction(String body) throws SQLException {
        execute("CREATE OR REPLACE FUNCTION " + COUNTING_FUNCTION + "() RETURNS trigger LANGUAGE plpgsql AS $body$"
                + body + "$body$");
    }

    /** Puts the migration's function back and counts every job again from the table, as the migration did. */
    private void restore(String definition) throws SQLException {
        execute(definition);
        try (Connection connection = fixture.connect(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("LOCK TABLE jobs IN SHARE MODE");
            statement.execute("UPDATE job_status_counts SET pending = 0, queued = 0, running = 0, completed = 0, failed = 0, cancelled = 0");
            statement.execute("UPDATE job_status_counts SET " + Arrays.stream(JobStatus.values())
                    .map(s -> s.name().toLowerCase(Locale.ROOT) + " = (SELECT count(*) FROM jobs WHERE status = '" + s.name() + "')")
                    .collect(Collectors.joining(", ")) + " WHERE slot = 0");
            connection.commit();
        }
        assertThat(differences()).containsOnly(0L);
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = fixture.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
