package io.jobstate.persistence.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.jobstate.jobs.events.EventLog;
import io.jobstate.jobs.events.EventQuery;
import io.jobstate.jobs.events.EventRead;
import io.jobstate.jobs.events.JobEvent;
import io.jobstate.persistence.Migrations;
import io.jobstate.persistence.internal.PostgresEventLog;
import io.jobstate.persistence.support.Sql;
import io.jobstate.persistence.support.StoreFixture;
import io.jobstate.testing.postgres.PostgresExtension;
import io.jobstate.testing.postgres.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Upgrading a database that V12's service wrote to (V13): events already numbered stay in the feed,
 * events still waiting for their number move to {@code event_outbox} with their write order, and the
 * publisher numbers them after the others, in that order, as V12's would have.
 */
@ExtendWith(PostgresExtension.class)
class OutboxMigrationIT {

    @Test
    void eventsWaitingForTheirNumberAreNumberedAfterTheUpgradeInTheOrderTheyWereWritten(TestDatabase database) throws Exception {
        PGSimpleDataSource owner = StoreFixture.migrationDataSource(database);
        Flyway.configure().dataSource(owner).locations("classpath:db/migration").callbackLocations(new String[0])
                .target("12").load().migrate();
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        try (Connection connection = owner.getConnection(); Statement statement = connection.createStatement()) {
            // as V12's service left them: two events of a numbered, then three written and not yet numbered
            statement.execute(events(a, "PENDING", "QUEUED", 1) + ", " + row(a, "QUEUED", "RUNNING", 2));
            statement.execute("UPDATE job_events SET seq = version");
            statement.execute("UPDATE event_feed SET last_seq = 2");
            for (String event : List.of(events(b, "PENDING", "QUEUED", 1), events(a, "RUNNING", "COMPLETED", 3),
                    events(b, "QUEUED", "RUNNING", 2))) {
                statement.execute(event);
            }
        }

        Migrations.migrate(owner, database.runtime().user());

        PGSimpleDataSource runtime = StoreFixture.dataSource(database, database.runtime());
        try (Connection connection = runtime.getConnection()) {
            assertThat(Sql.rows(connection, "SELECT seq, version FROM job_events ORDER BY seq"))
                    .containsExactly(List.of(1L, 1L), List.of(2L, 2L));
            assertThat(Sql.rows(connection, "SELECT job_id, version FROM event_outbox ORDER BY outbox_id"))
                    .containsExactly(List.of(b, 1L), List.of(a, 3L), List.of(b, 2L));
            long lastWritten = Sql.count(connection, "SELECT max(outbox_id) FROM event_outbox");
            try (Statement statement = connection.createStatement()) {
                statement.execute(events(b, "RUNNING", "COMPLETED", 3).replace("job_events", "event_outbox"));
            }
            assertThat(Sql.count(connection, "SELECT max(outbox_id) FROM event_outbox"))
                    .as("the write order goes on after the events written before the upgrade").isGreaterThan(lastWritten);
        }

        EventLog log = new PostgresEventLog(runtime);
        assertThat(log.publish().lastSeq()).isEqualTo(6);
        assertThat(log.read(EventQuery.after(2))).isInstanceOfSatisfying(EventRead.Page.class,
                page -> assertThat(page.items()).extracting(JobEvent::jobId, JobEvent::version)
                        .containsExactly(tuple(b, 1L), tuple(a, 3L), tuple(b, 2L), tuple(b, 3L)));
        try (Connection connection = runtime.getConnection()) {
            assertThat(Sql.count(connection, "SELECT count(*) FROM event_outbox")).isZero();
        }
    }

    private static String events(UUID job, String from, String to, long version) {
        return "INSERT INTO job_events (job_id, from_status, to_status, version, at) VALUES " + row(job, from, to, version);
    }

    private static String row(UUID job, String from, String to, long version) {
        return "('" + job + "', '" + from + "', '" + to + "', " + version + ", now())";
    }
}
