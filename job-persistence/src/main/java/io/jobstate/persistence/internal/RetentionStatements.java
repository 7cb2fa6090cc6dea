package io.jobstate.persistence.internal;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.retention.RetentionPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The pruner's two statements for a {@link RetentionPolicy}: which jobs are due (a read), and the
 * delete of those still due at the instant of the write. Times are the database's ({@code now()}); a
 * retention is bound in milliseconds. Thread-safe (stateless).
 */
final class RetentionStatements {

    /** The cutoff of a job of the row {@code jobs}: a milliseconds value bound per status and per kind of job. */
    private static final String PAST = " < now() - CAST(? AS bigint) * interval '1 millisecond'";

    /** One row per finished status: the {@code finishedAt} of its oldest job still kept (NULL: none), from the two work lists' first entries. */
    static final String OLDEST_FINISHED = Arrays.stream(JobStatus.values()).filter(JobStatus::isFinished)
            .map(status -> "SELECT '" + status.name() + "', least("
                    + "(SELECT min(finished_at) FROM jobs WHERE status = '" + status.name()
                    + "' AND finished_at IS NOT NULL AND idempotency_key IS NULL), "
                    + "(SELECT min(finished_at) FROM jobs WHERE status = '" + status.name()
                    + "' AND finished_at IS NOT NULL AND idempotency_key IS NOT NULL))")
            .collect(Collectors.joining(" UNION ALL "));

    private RetentionStatements() {
    }

    /**
     * Up to {@code limit} ids of jobs due, oldest finished first: per pruned status, one range scan of
     * each work list (jobs without and with a creation key, indexes of schema V6) that stops after
     * {@code limit} entries. A read, so a pass with nothing due writes nothing.
     */
    static BoundSql due(RetentionPolicy policy, int limit) {
        BoundSql.Builder sql = BoundSql.builder().append("SELECT id FROM (");
        String union = "";
        for (JobStatus status : policy.pruned()) {
            for (boolean keyed : List.of(false, true)) {
                Duration kept = (keyed ? policy.retentionOfKeyed(status) : policy.retention(status)).orElseThrow();
                sql.append(union + "(SELECT id, finished_at FROM jobs WHERE status = '" + status.name() + "'"
                        + " AND finished_at IS NOT NULL AND idempotency_key IS " + (keyed ? "NOT NULL" : "NULL")
                        + " AND finished_at" + PAST + " ORDER BY finished_at LIMIT ?)", kept.toMillis(), limit);
                union = " UNION ALL ";
            }
        }
        return sql.append(") due ORDER BY finished_at LIMIT ?", limit).build();
    }

    /**
     * Deletes those of {@code ids} still due, with their history, and counts them by status. The
     * jobs are locked with SKIP LOCKED: one a transition or another pruner holds is left alone, never
     * waited for. Both the lock and the DELETE re-check the status and {@code finishedAt} on the newest
     * row version (READ COMMITTED re-evaluates a WHERE after a concurrent update), so a job retried
     * meanwhile ({@code FAILED → QUEUED}, which clears {@code finishedAt}) is not deleted. The history
     * goes in the same statement: its foreign key (NO ACTION) is checked at the statement's end. The
     * counts are kept by trigger {@code jobs_count_deleted}.
     */
    static BoundSql delete(RetentionPolicy policy, List<UUID> ids) {
        BoundSql stillDue = stillDue(policy);
        String array = ids.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
        return BoundSql.builder()
                .append("WITH doomed AS (SELECT id FROM jobs WHERE id = ANY (CAST(? AS uuid[])) AND ", array)
                .append(stillDue)
                .append(" FOR UPDATE SKIP LOCKED),")
                .append(" gone AS (DELETE FROM jobs USING doomed WHERE jobs.id = doomed.id AND ")
                .append(stillDue)
                .append(" RETURNING jobs.id, jobs.status),")
                .append(" forgotten AS (DELETE FROM job_history h USING gone WHERE h.job_id = gone.id)")
                .append(" SELECT status, count(*) FROM gone GROUP BY status")
                .build();
    }

    /** Whether the row of {@code jobs} is past its retention now: its status's, the longer one with a creation key; NULL (no) for a status kept forever. */
    private static BoundSql stillDue(RetentionPolicy policy) {
        BoundSql.Builder sql = BoundSql.builder().append("jobs.finished_at < now() - CAST(CASE jobs.status");
        for (JobStatus status : policy.pruned()) {
            sql.append(" WHEN '" + status.name() + "' THEN CASE WHEN jobs.idempotency_key IS NULL THEN ? ELSE ? END",
                    policy.retention(status).orElseThrow().toMillis(), policy.retentionOfKeyed(status).orElseThrow().toMillis());
        }
        return sql.append(" END AS bigint) * interval '1 millisecond'").build();
    }
}
