package io.jobstate.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.retention.RetentionPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Golden tests of the pruner's statements: the complete text and the values in order. */
class RetentionStatementsTest {

    private static final long HOUR = 3_600_000;
    private static final long DAY = 24 * HOUR;
    /** COMPLETED an hour, FAILED a day, CANCELLED forever; jobs created with a key at least a day. */
    private static final RetentionPolicy POLICY = new RetentionPolicy(
            Map.of(JobStatus.COMPLETED, Duration.ofHours(1), JobStatus.FAILED, Duration.ofDays(1)), Duration.ofDays(1));
    private static final String PAST = " < now() - CAST(? AS bigint) * interval '1 millisecond'";

    @Test
    void theJobsDueAreReadFromBothWorkListsOfEveryPrunedStatusOldestFirst() {
        BoundSql due = RetentionStatements.due(POLICY, 500);

        assertThat(due.text()).isEqualTo("SELECT id FROM ("
                + "(SELECT id, finished_at FROM jobs WHERE status = 'COMPLETED' AND finished_at IS NOT NULL AND idempotency_key IS NULL"
                + " AND finished_at" + PAST + " ORDER BY finished_at LIMIT ?)"
                + " UNION ALL (SELECT id, finished_at FROM jobs WHERE status = 'COMPLETED' AND finished_at IS NOT NULL"
                + " AND idempotency_key IS NOT NULL AND finished_at" + PAST + " ORDER BY finished_at LIMIT ?)"
                + " UNION ALL (SELECT id, finished_at FROM jobs WHERE status = 'FAILED' AND finished_at IS NOT NULL AND idempotency_key IS NULL"
                + " AND finished_at" + PAST + " ORDER BY finished_at LIMIT ?)"
                + " UNION ALL (SELECT id, finished_at FROM jobs WHERE status = 'FAILED' AND finished_at IS NOT NULL"
                + " AND idempotency_key IS NOT NULL AND finished_at" + PAST + " ORDER BY finished_at LIMIT ?)"
                + ") due ORDER BY finished_at LIMIT ?");
        assertThat(due.parameters()).containsExactly(HOUR, 500, DAY, 500, DAY, 500, DAY, 500, 500);
    }

    @Test
    void theDeleteLocksWithoutWaitingAndRechecksEveryJobAtTheWrite() {
        UUID first = UUID.fromString("00000000-0000-0000-0000-000000000001");
        UUID second = UUID.fromString("00000000-0000-0000-0000-000000000002");

        BoundSql delete = RetentionStatements.delete(POLICY, List.of(first, second));

        String stillDue = "jobs.finished_at < now() - CAST(CASE jobs.status"
                + " WHEN 'COMPLETED' THEN CASE WHEN jobs.idempotency_key IS NULL THEN ? ELSE ? END"
                + " WHEN 'FAILED' THEN CASE WHEN jobs.idempotency_key IS NULL THEN ? ELSE ? END"
                + " END AS bigint) * interval '1 millisecond'";
        assertThat(delete.text()).isEqualTo("WITH doomed AS (SELECT id FROM jobs WHERE id = ANY (CAST(? AS uuid[])) AND "
                + stillDue + " FOR UPDATE SKIP LOCKED),"
                + " gone AS (DELETE FROM jobs USING doomed WHERE jobs.id = doomed.id AND " + stillDue
                + " RETURNING jobs.id, jobs.status),"
                + " forgotten AS (DELETE FROM job_history h USING gone WHERE h.job_id = gone.id)"
                + " SELECT status, count(*) FROM gone GROUP BY status");
        assertThat(delete.parameters()).containsExactly("{" + first + "," + second + "}", HOUR, DAY, DAY, DAY, HOUR, DAY, DAY, DAY);
    }
}
