package io.jobstate.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.claim.ClaimRequest;
import io.jobstate.jobs.retention.RetentionPolicy;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.support.DatabaseTest;
import io.jobstate.persistence.support.StoreFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Plans after statistics taken at a quiet moment, as after a deploy or a bulk load: every job PENDING
 * when they were taken, then 7,000 of them RUNNING and 2,000 QUEUED before they are taken again. With
 * those statistics a RUNNING or QUEUED job looks rare, and a read of every such job's index entries
 * looks cheap. So were planned the reaper's probe ({@code min(lease_expires_at)} and {@code ORDER BY
 * lease_expires_at LIMIT 1}, through jobs_by_status_newest_first with a sort: 200 pages here, 5,000 a
 * probe in the service under load), the reaping round's candidates, and the writes that find one
 * job by its id (a completion, a heartbeat, a progress report, a claim's update), which took a status
 * or queue index instead of the key; and, checked the same way, the pruner's delete of a batch. A database of
 * its own, so that no other test's jobs change the statistics.
 */
class QuietStatisticsPlanIT extends DatabaseTest {

    private static final int JOBS = 10_000;
    private static final int RUNNING = 7_000;
    private static final int QUEUED = 2_000;
    private static final String QUEUED_TYPE = "quiet";
    private static final int PAGES_AT_MOST = 10;
    private static final String TOKEN = "held";
    /** The candidate's pages, the key's, and the write of one job with its index entries (26 seen). */
    private static final int ONE_JOB_REAPED_PAGES_AT_MOST = 60;
    /** jobstate.retention.batch's default. */
    private static final int PRUNING_BATCH = 500;

    @BeforeAll
    void statisticsOfAQuietMomentThenManyJobsRunningAndQueued() throws SQLException {
        try (Connection owner = StoreFixture.migrationDataSource(fixture.database()).getConnection();
             Statement sql = owner.createStatement()) {
            sql.execute("ALTER TABLE jobs SET (autovacuum_enabled = false)");
            // statements of at most 1,000 rows (docs/operations.md, "Writing jobs by hand")
            for (int done = 0; done < JOBS; done += 1_000) {
                sql.execute("INSERT INTO jobs (id, type, status, version, attempt, progress, created_at, updated_at)"
                        + " SELECT gen_random_uuid(), '" + QUEUED_TYPE + "', 'PENDING', 0, 1, 0, now(), now() FROM generate_series(1, 1000)");
            }
            sql.execute("VACUUM ANALYZE jobs");
            for (int done = 0; done < RUNNING; done += 1_000) {
                sql.execute("UPDATE jobs SET status = 'RUNNING', previous_status = status, version = version + 1,"
                        + " lease_token = '" + TOKEN + "', lease_seconds = 600, started_at = now()"
                        + " WHERE id IN (SELECT id FROM jobs WHERE status = 'PENDING' LIMIT 1000)");
            }
            for (int done = 0; done < QUEUED; done += 1_000) {
                sql.execute("UPDATE jobs SET status = 'QUEUED', previous_status = status, version = version + 1"
                        + " WHERE id IN (SELECT id FROM jobs WHERE status = 'PENDING' LIMIT 1000)");
            }
        }
    }

    @Test
    void theProbeReadsAFewPagesNotEveryRunningJob() throws SQLException {
        try (Connection connection = fixture.connect(); Statement sql = connection.createStatement()) {
            try (ResultSet row = sql.executeQuery(LeaseUpdates.ANY_EXPIRED)) {
                row.next();
                assertThat(row.getBoolean(1)).isFalse();
            }
            // the same connection again: its catalog caches are warm, as a pooled connection's are
            String plan = PreparedSql.explained(sql, "(ANALYZE, BUFFERS, COSTS OFF) " + LeaseUpdates.ANY_EXPIRED);
            assertThat(PreparedSql.pagesRead(plan)).as(plan).isBetween(0, PAGES_AT_MOST);
        }
    }

    @Test
    void aRoundThatReapsOneLeaseReadsAFewPagesToFindIt() throws SQLException {
        TransitionStatement reaping = TransitionStatement.reaping(500, "lease expired", "reaper");
        String plan;
        try (Connection connection = fixture.connect(); Statement sql = connection.createStatement()) {
            connection.setAutoCommit(false);
            try {
                expireOne(sql);
                LeaseUpdates.planInLeaseOrder(connection);
                plan = PreparedSql.explainedExecution(sql, "(ANALYZE, BUFFERS, COSTS OFF)", "reap", reaping.sql(), reaping.parameters());
            } finally {
                connection.rollback();
            }
        }

        // both seen reading every RUNNING job's status-index entry: 6,666 and 6,681 pages
        String candidates = plan.substring(plan.indexOf("CTE expired"));
        assertThat(candidates).as(plan).contains("rows=1 ");
        assertThat(PreparedSql.pagesRead(candidates)).as(plan).isBetween(0, PAGES_AT_MOST);
        String update = plan.substring(plan.indexOf("CTE moved"));
        assertThat(PreparedSql.pagesRead(update)).as(plan).isBetween(0, ONE_JOB_REAPED_PAGES_AT_MOST);
    }

    /**
     * The compare-and-set completion of one RUNNING job, a heartbeat, a progress report and a claim's
     * update each find their job through the key. Seen, while their status condition was a plain
     * {@code status IN (…)}: the first three through every RUNNING job's entry of
     * jobs_by_status_newest_first, the claim through every QUEUED job's entry of its queue index.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"completion", "heartbeat", "progress", "claim"})
    void aWriteOfOneJobFindsItThroughTheKey(String write) throws SQLException {
        String plan;
        try (Connection connection = fixture.connect(); Statement sql = connection.createStatement()) {
            connection.setAutoCommit(false);
            try {
                BoundSql statement = switch (write) {
                    case "completion" -> {
                        TransitionStatement completion = TransitionStatement.of(aRunningJob(sql),
                                TransitionRequest.to(JobStatus.COMPLETED).withLeaseToken(TOKEN), null, null);
                        yield new BoundSql(completion.sql(), completion.parameters());
                    }
                    case "claim" -> {
                        TransitionStatement claim = TransitionStatement.claiming(ClaimRequest.of(QUEUED_TYPE), "claimed", null);
                        yield new BoundSql(claim.sql(), claim.parameters());
                    }
                    case "heartbeat" -> LeaseUpdates.renewal(aRunningJob(sql), TOKEN);
                    default -> ProgressUpdates.update(aRunningJob(sql), 50, TOKEN);
                };
                plan = PreparedSql.explainedExecution(sql, "(ANALYZE, BUFFERS, COSTS OFF)", write, statement.text(), statement.parameters());
            } finally {
                connection.rollback();
            }
        }

        // the update's own scan, after the claim's candidate (a statement without CTEs starts with it);
        // the write after it reads hundreds of pages here, its index entries among the dead ones the
        // updates above left (no vacuum in this database)
        String update = write.equals("claim") ? plan.substring(plan.indexOf("CTE moved")) : plan;
        String scan = update.substring(update.indexOf("Index Scan"));
        assertThat(scan).as(plan).startsWith("Index Scan using jobs_pkey on jobs");
        assertThat(PreparedSql.pagesRead(scan)).as(plan).isBetween(1, PAGES_AT_MOST);
    }

    /**
     * A pruning batch (the default 500 jobs) finds and deletes its jobs through the key, though the statistics
     * saw no finished job at all.
     */
    @Test
    void aPruningBatchFindsItsJobsThroughTheKey() throws SQLException {
        String plan;
        try (Connection connection = fixture.connect(); Statement sql = connection.createStatement()) {
            connection.setAutoCommit(false);
            try {
                List<UUID> due = finishedLongAgo(sql, PRUNING_BATCH);
                BoundSql delete = RetentionStatements.delete(new RetentionPolicy(Map.of(JobStatus.CANCELLED, Duration.ofHours(1)),
                        Duration.ZERO), due);
                plan = PreparedSql.explainedExecution(sql, "(ANALYZE, BUFFERS, COSTS OFF)", "prune", delete.text(), delete.parameters());
            } finally {
                connection.rollback();
            }
        }

        // each job past its retention only by a condition on its own status, which no index can serve: the key is the
        // one way in, whatever the statistics (seen: a bitmap scan of jobs_pkey, then the key again for the delete)
        String shown = plan.replaceAll("\\{[0-9a-f,-]{100,}}", "{…}");
        assertThat(shown).contains("CTE doomed", "CTE gone", "CTE forgotten");
        String doomed = shown.substring(shown.indexOf("CTE doomed"), shown.indexOf("CTE gone"));
        String gone = shown.substring(shown.indexOf("CTE gone"), shown.indexOf("CTE forgotten"));
        assertThat(doomed).as(shown).containsPattern("Index Scan (on|using) jobs_pkey").contains("rows=" + PRUNING_BATCH + " ");
        assertThat(gone).as(shown).contains("Index Scan using jobs_pkey on jobs").doesNotContain("Seq Scan on jobs");
    }

    /**
     * {@code count} PENDING jobs cancelled two hours ago, in the caller's transaction: written with the
     * triggers off (as docs/operations.md's backdating does), since the clock trigger stamps a finish with now.
     */
    private static List<UUID> finishedLongAgo(Statement sql, int count) throws SQLException {
        sql.execute("SET LOCAL session_replication_role = replica");
        List<UUID> ids = new ArrayList<>();
        try (ResultSet rows = sql.executeQuery("UPDATE jobs SET status = 'CANCELLED', previous_status = status, version = version + 1,"
                + " updated_at = now() - interval '2 hours', finished_at = now() - interval '2 hours'"
                + " WHERE id IN (SELECT id FROM jobs WHERE status = 'PENDING' ORDER BY id LIMIT " + count + ") RETURNING id")) {
            while (rows.next()) {
                ids.add(rows.getObject(1, UUID.class));
            }
        }
        sql.execute("SET LOCAL session_replication_role = origin");
        return ids;
    }

    private static UUID aRunningJob(Statement sql) throws SQLException {
        try (ResultSet row = sql.executeQuery("SELECT id FROM jobs WHERE status = 'RUNNING' ORDER BY id LIMIT 1")) {
            row.next();
            return row.getObject(1, UUID.class);
        }
    }

    /** The lease that expires first, expired in the caller's transaction: an earlier expiry written so is kept (V7). */
    private static void expireOne(Statement sql) throws SQLException {
        sql.execute("UPDATE jobs SET lease_expires_at = clock_timestamp() - interval '1 second'"
                + " WHERE id = (SELECT id FROM jobs WHERE status = 'RUNNING' ORDER BY lease_expires_at, id LIMIT 1)");
    }
}
