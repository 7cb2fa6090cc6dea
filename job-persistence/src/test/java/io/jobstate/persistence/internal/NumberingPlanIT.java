package io.jobstate.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.events.EventLog;
import io.jobstate.persistence.support.DatabaseTest;
import io.jobstate.persistence.support.StoreFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The publisher's batch reads the outbox through its key, however many moved rows its heap still
 * holds and whatever its statistics say. Between two visits of autovacuum every event moved leaves a
 * dead row, and statistics taken when the outbox was almost empty made a sequential scan look
 * cheapest: the batch read the whole heap twice (241 buffers for 12 events after 7,000 moved). And
 * it is not compiled: the cost that keeps sequential scans out would make PostgreSQL JIT-compile
 * every batch (over 200 ms each in the service, four times the whole batch's work).
 */
class NumberingPlanIT extends DatabaseTest {

    private static final int MOVED = 7_000;
    private static final int WAITING = 12;

    private EventLog log;

    @BeforeAll
    void anOutboxThatMovedThousandsOfEventsSinceItsStatisticsAndHasAFewWaiting() throws SQLException {
        log = new PostgresEventLog(fixture.dataSource());
        try (Connection owner = StoreFixture.migrationDataSource(fixture.database()).getConnection();
             Statement sql = owner.createStatement()) {
            sql.execute("ALTER TABLE event_outbox SET (autovacuum_enabled = false)");
            events(sql, 10);
            sql.execute("VACUUM ANALYZE event_outbox");
            log.publish();
            for (int written = 0; written < MOVED; written += 1_000) {
                events(sql, 1_000);
            }
            log.publish();
            events(sql, WAITING);
        }
    }

    @Test
    void aBatchReadsTheOutboxThroughItsKeyNotItsHeap() throws SQLException {
        String plan;
        String jit;
        try (Connection connection = fixture.connect(); Statement sql = connection.createStatement()) {
            connection.setAutoCommit(false);
            try {
                long before;
                try (ResultSet row = sql.executeQuery(PostgresEventLog.LOCK_FEED)) {
                    row.next();
                    before = row.getLong(1);
                }
                try (ResultSet row = sql.executeQuery("SELECT current_setting('jit')")) {
                    row.next();
                    jit = row.getString(1);
                }
                plan = PreparedSql.explainedExecution(sql, "(ANALYZE, BUFFERS, COSTS OFF)", "number_pending",
                        PostgresEventLog.NUMBER_PENDING, List.of(PostgresEventLog.PUBLISH_BATCH, before, before));
            } finally {
                connection.rollback();
            }
        }

        assertThat(plan).as(plan).contains("event_outbox_pkey").doesNotContain("Seq Scan on event_outbox");
        // the cost that keeps sequential scans out would otherwise have the batch compiled where
        // PostgreSQL has JIT (200 ms a batch); the test cluster's binaries may have none, so the setting
        assertThat(jit).isEqualTo("off");
        assertThat(plan).as(plan).doesNotContain("JIT:");
        assertThat(plan).as(plan).contains("Insert on job_events (actual time").contains("rows=" + WAITING + " ");
    }

    private static void events(Statement sql, int count) throws SQLException {
        sql.execute("INSERT INTO event_outbox (job_id, from_status, to_status, version, at)"
                + " SELECT gen_random_uuid(), 'PENDING', 'QUEUED', 1, now() FROM generate_series(1, " + count + ")");
    }
}
