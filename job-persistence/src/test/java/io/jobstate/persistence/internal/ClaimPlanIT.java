package io.jobstate.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.claim.ClaimRequest;
import io.jobstate.persistence.support.DatabaseTest;
import io.jobstate.persistence.support.StoreFixture;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The plan PostgreSQL may keep for a prepared claim (a generic plan, made for any parameter values)
 * must read the claimed type's own queue. With the any-type queue index usable, it read every type's
 * queue oldest first and filtered on the type: behind 119,141 older jobs of other types, 16-84 ms a
 * claim (migration V10).
 */
class ClaimPlanIT extends DatabaseTest {

    private static final String TYPE_QUEUE = "jobs_queued_by_type_oldest_first";
    private static final String ANY_TYPE_QUEUE = "jobs_queued_oldest_first";

    @Test
    void aGenericPlanOfAOneTypeClaimReadsThatTypesQueueBehindOlderJobsOfOtherTypes() throws SQLException {
        String wanted = "wanted-" + UUID.randomUUID();
        try (Connection owner = StoreFixture.migrationDataSource(fixture.database()).getConnection();
             Statement sql = owner.createStatement()) {
            // ten older queues, each half claimed already (the shape under which a generic plan went wrong)
            for (int other = 0; other < 10; other++) {
                String type = "other-" + UUID.randomUUID();
                queue(sql, type, 1_000);
                sql.execute("UPDATE jobs SET status = 'RUNNING', previous_status = status, version = version + 1,"
                        + " lease_token = 'held', lease_seconds = 60, started_at = now()"
                        + " WHERE id IN (SELECT id FROM jobs WHERE type = '" + type + "' AND status = 'QUEUED' LIMIT 500)");
            }
            queue(sql, wanted, 300);
            sql.execute("ANALYZE jobs");
        }

        String plan = genericPlan(TransitionStatement.claiming(new ClaimRequest(List.of(wanted), 60, null, "worker"), "token", null));

        assertThat(plan).as(plan).contains(TYPE_QUEUE).doesNotContain(ANY_TYPE_QUEUE);
    }

    @Test
    void aClaimOfAnyTypeStillReadsTheQueueOfEveryTypeOldestFirst() throws SQLException {
        String plan = genericPlan(TransitionStatement.claiming(ClaimRequest.anyType(), "token", null));

        assertThat(plan).contains(ANY_TYPE_QUEUE);
    }

    /** Queued jobs of {@code type}, created and moved in statements of at most 1,000 rows (docs/operations.md). */
    private static void queue(Statement sql, String type, int count) throws SQLException {
        for (int done = 0; done < count; done += 1_000) {
            sql.execute("INSERT INTO jobs (id, type, status, version, attempt, progress, created_at, updated_at)"
                    + " SELECT gen_random_uuid(), '" + type + "', 'PENDING', 0, 1, 0, now(), now()"
                    + " FROM generate_series(1, " + Math.min(1_000, count - done) + ")");
            sql.execute("UPDATE jobs SET status = 'QUEUED', previous_status = status, version = version + 1"
                    + " WHERE type = '" + type + "' AND status = 'PENDING'");
        }
    }

    /** The plan of {@code statement} as PostgreSQL would cache it for any values (the statement is not run). */
    private String genericPlan(TransitionStatement statement) throws SQLException {
        try (Connection connection = fixture.connect(); Statement sql = connection.createStatement()) {
            sql.execute("SET plan_cache_mode = force_generic_plan");
            return PreparedSql.explainedExecution(sql, "", "claim", statement.sql(), statement.parameters());
        }
    }
}
