package io.jobstate.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.persistence.support.DatabaseTest;
import io.jobstate.persistence.support.StoreFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reaper asks every second whether any lease has expired. Most of the time none has, and the
 * answer must cost a few pages whatever the number of jobs: a probe that read the table grew with it
 * (340 pages at 20,000 jobs in the benchmark, with {@code EXISTS (… lease_expires_at < clock_timestamp())}).
 * When one has, the round that reaps it reads the reaper's index only up to the first lease still
 * running, not every RUNNING job's entry.
 */
class ReaperProbeIT extends DatabaseTest {

    private static final int RUNNING = 6_000;
    private static final int FINISHED = 2_000;
    private static final int PAGES_AT_MOST = 10;

    private final String type = "reaper-probe-" + UUID.randomUUID();

    @BeforeAll
    void jobsMostlyFinishedTheRestRunningUnderLiveLeases() throws SQLException {
        try (Connection owner = StoreFixture.migrationDataSource(fixture.database()).getConnection();
             Statement sql = owner.createStatement()) {
            // statements of at most 1,000 rows (docs/operations.md, "Writing jobs by hand")
            for (int done = 0; done < RUNNING + FINISHED; done += 1_000) {
                sql.execute("INSERT INTO jobs (id, type, status, version, attempt, progress, created_at, updated_at)"
                        + " SELECT gen_random_uuid(), '" + type + "', 'PENDING', 0, 1, 0, now(), now()"
                        + " FROM generate_series(1, 1000)");
                sql.execute("UPDATE jobs SET status = 'RUNNING', previous_status = status, version = version + 1,"
                        + " lease_token = 'held', lease_seconds = 600, started_at = now()"
                        + " WHERE type = '" + type + "' AND status = 'PENDING'");
                if (done >= RUNNING) {
                    sql.execute("UPDATE jobs SET status = 'COMPLETED', previous_status = status, version = version + 1,"
                            + " lease_token = NULL, lease_expires_at = NULL, lease_seconds = NULL, finished_at = now()"
                            + " WHERE type = '" + type + "' AND status = 'RUNNING'"
                            + " AND id IN (SELECT id FROM jobs WHERE type = '" + type + "' AND status = 'RUNNING' LIMIT 1000)");
                }
            }
            // as autovacuum leaves it: the index entries of the leases that ended are gone
            sql.execute("VACUUM ANALYZE jobs");
        }
    }

    @Test
    void anIdleProbeReadsAFewPagesNotTheTable() throws SQLException {
        try (Connection connection = fixture.connect(); Statement sql = connection.createStatement()) {
            assertThat(probe(sql)).isFalse();

            String plan = explained(sql, LeaseUpdates.ANY_EXPIRED);
            assertThat(PreparedSql.pagesRead(plan)).as(plan).isBetween(0, PAGES_AT_MOST);
        }
    }

    @Test
    void theProbeReadsAFewPagesAlsoWhenTheStatisticsWereTakenWhileNoJobRan() throws SQLException {
        try (Connection owner = StoreFixture.migrationDataSource(fixture.database()).getConnection();
             Statement sql = owner.createStatement()) {
            sql.execute("ALTER TABLE jobs SET (autovacuum_enabled = false)");
            try {
                // the statistics of a quiet moment (no job RUNNING), then the jobs start again, with
                // leases shorter than before: their new index entries come before the ended ones'
                sql.execute("UPDATE jobs SET status = 'FAILED', previous_status = status, version = version + 1,"
                        + " lease_token = NULL, lease_expires_at = NULL, lease_seconds = NULL, finished_at = now()"
                        + " WHERE type = '" + type + "' AND status = 'RUNNING'");
                sql.execute("ANALYZE jobs");
                sql.execute("UPDATE jobs SET status = 'QUEUED', previous_status = status, version = version + 1,"
                        + " attempt = attempt + 1, finished_at = NULL WHERE type = '" + type + "' AND status = 'FAILED'");
                sql.execute("UPDATE jobs SET status = 'RUNNING', previous_status = status, version = version + 1,"
                        + " lease_token = 'held again', lease_seconds = 300 WHERE type = '" + type + "' AND status = 'QUEUED'");

                try (Connection connection = fixture.connect(); Statement runtime = connection.createStatement()) {
                    assertThat(probe(runtime)).isFalse();
                    String plan = explained(runtime, LeaseUpdates.ANY_EXPIRED);
                    assertThat(PreparedSql.pagesRead(plan)).as(plan).isBetween(0, PAGES_AT_MOST);
                }
            } finally {
                sql.execute("ALTER TABLE jobs RESET (autovacuum_enabled)");
                // as autovacuum leaves it, for the other tests
                sql.execute("VACUUM ANALYZE jobs");
            }
        }
    }

    @Test
    void theProbeStillSeesOneExpiredLeaseAmongTheLiveOnes() throws SQLException {
        UUID expired = expireOne();
        try (Connection connection = fixture.connect(); Statement sql = connection.createStatement()) {
            assertThat(probe(sql)).isTrue();
        } finally {
            renew(expired);
        }
    }

    @Test
    void aRoundThatReapsOneLeaseReadsTheReapersIndexUpToTheFirstLiveLease() throws SQLException {
        UUID expired = expireOne();
        TransitionStatement reaping = TransitionStatement.reaping(500, "lease expired", "reaper");
        String plan;
        try (Connection connection = fixture.connect(); Statement sql = connection.createStatement()) {
            connection.setAutoCommit(false);
            try {
                LeaseUpdates.planInLeaseOrder(connection);
                plan = PreparedSql.explainedExecution(sql, "(ANALYZE, BUFFERS, COSTS OFF)", "reap", reaping.sql(), reaping.parameters());
            } finally {
                connection.rollback();
            }
        } finally {
            renew(expired);
        }

        String candidates = plan.substring(plan.indexOf("Index Scan using jobs_expiring_leases"));
        assertThat(candidates).as(plan).contains("rows=1 ");
        assertThat(PreparedSql.pagesRead(candidates)).as(plan).isBetween(0, PAGES_AT_MOST);
    }

    /** The lease that expires first, expired by hand: an earlier expiry written so is kept (trigger jobs_lease_clock, V7). */
    private UUID expireOne() throws SQLException {
        try (Connection owner = StoreFixture.migrationDataSource(fixture.database()).getConnection();
             Statement sql = owner.createStatement()) {
            UUID expiring;
            try (ResultSet row = sql.executeQuery("SELECT id FROM jobs WHERE type = '" + type + "' AND status = 'RUNNING'"
                    + " ORDER BY lease_expires_at LIMIT 1")) {
                row.next();
                expiring = row.getObject(1, UUID.class);
            }
            sql.execute("UPDATE jobs SET lease_expires_at = clock_timestamp() - interval '1 second' WHERE id = '" + expiring + "'");
            return expiring;
        }
    }

    /** A write that leaves the expiry alone renews the lease (V7). */
    private void renew(UUID job) throws SQLException {
        try (Connection owner = StoreFixture.migrationDataSource(fixture.database()).getConnection();
             Statement sql = owner.createStatement()) {
            sql.execute("UPDATE jobs SET lease_seconds = 601 WHERE id = '" + job + "'");
        }
    }

    private static boolean probe(Statement sql) throws SQLException {
        try (ResultSet row = sql.executeQuery(LeaseUpdates.ANY_EXPIRED)) {
            row.next();
            return row.getBoolean(1);
        }
    }

    /** The plan of {@code statement} as it ran (it runs), with the pages each node read. */
    private static String explained(Statement sql, String statement) throws SQLException {
        return PreparedSql.explained(sql, "(ANALYZE, BUFFERS, COSTS OFF) " + statement);
    }
}
