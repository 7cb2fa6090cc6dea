package io.jobstate.persistence.internal;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.transition.TransitionRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The single statement that decides and writes a transition: an UPDATE whose WHERE holds every
 * rule (legal predecessor, stated expectations, If-Match, key not yet used), with the history row
 * and the outbox row inserted by the same statement from its RETURNING. PostgreSQL re-checks the
 * WHERE on the newest row version after waiting for a concurrent writer, so there is no window
 * between check and write. Thread-safe (immutable).
 */
final class CompareAndSetStatement {

    /**
     * What entering each status does to the other columns. Mirrors {@code Job#transitionedTo};
     * the persistence contract tests hold both paths to that method.
     */
    /** Completing and failing finish a worker's run: they need its lease token. */
    private static final Set<JobStatus> FENCED = Set.of(JobStatus.COMPLETED, JobStatus.FAILED);

    private static final String NO_LEASE = ", lease_token = NULL, lease_expires_at = NULL, lease_seconds = NULL";
    private static final Map<JobStatus, String> EFFECTS = new EnumMap<>(Map.of(
            JobStatus.QUEUED, "attempt = attempt + CASE WHEN status = 'FAILED' THEN 1 ELSE 0 END, progress = 0, "
                    + "result = NULL, error = NULL, started_at = NULL, finished_at = NULL" + NO_LEASE,
            // the lease runs from the database's clock at the write, never a server's
            JobStatus.RUNNING, "progress = 0, result = NULL, error = NULL, started_at = now(), finished_at = NULL, "
                    + "lease_token = ?, lease_seconds = CAST(? AS integer), "
                    + "lease_expires_at = clock_timestamp() + CAST(? AS integer) * interval '1 second'",
            JobStatus.COMPLETED, "progress = 100, result = CAST(? AS jsonb), error = NULL, finished_at = now()" + NO_LEASE,
            JobStatus.FAILED, "result = NULL, error = ?, finished_at = now()" + NO_LEASE,
            JobStatus.CANCELLED, "result = NULL, error = NULL, finished_at = now()" + NO_LEASE));

    private final String sql;
    private final List<Object> parameters;


    private CompareAndSetStatement(String sql, List<Object> parameters) {
        this.sql = sql;
        this.parameters = parameters;
    }

    static CompareAndSetStatement of(UUID id, TransitionRequest request) {
        return of(id, request, UUID.randomUUID().toString());
    }

    /** {@code newLeaseToken} is the token a move to RUNNING grants (random in the service, fixed for pgbench). */
    static CompareAndSetStatement of(UUID id, TransitionRequest request, String newLeaseToken) {
        JobStatus to = request.to();
        List<Object> parameters = new ArrayList<>(13);
        if (to == JobStatus.COMPLETED) {
            parameters.add(request.result());
        } else if (to == JobStatus.FAILED) {
            parameters.add(request.error());
        } else if (to == JobStatus.RUNNING) {
            parameters.add(newLeaseToken);
            parameters.add(request.effectiveLeaseSeconds());
            parameters.add(request.effectiveLeaseSeconds());
        }
        parameters.add(id);
        if (FENCED.contains(to)) {
            parameters.add(request.leaseToken());
        }
        int shape = 0;
        if (request.expectedStatus() != null) {
            shape |= EXPECTED_STATUS;
            parameters.add(request.expectedStatus().name());
        }
        if (request.expectedVersion() != null) {
            shape |= EXPECTED_VERSION;
            parameters.add(request.expectedVersion());
        }
        if (request.requiredVersion() != null) {
            shape |= REQUIRED_VERSION;
            parameters.add(request.requiredVersion());
        }
        if (request.idempotencyKey() != null) {
            shape |= KEY;
            parameters.add(request.idempotencyKey());
        }
        parameters.add(request.idempotencyKey());
        parameters.add(request.idempotencyKey() == null ? null : request.fingerprint());
        parameters.add(request.reason());
        parameters.add(request.actor());
        return new CompareAndSetStatement(SQL.get(to).get(shape), Collections.unmodifiableList(parameters));
    }

    /**
     * The reaper's statement: up to {@code limit} RUNNING jobs whose lease expired, locked with SKIP
     * LOCKED (a job another reaper or writer holds is left for the next round), each moved to FAILED
     * by the same update, history and outbox as any transition, only if it is still RUNNING with the
     * same lease token and its expiry has passed when the row is written.
     */
    static CompareAndSetStatement reaping(int limit, String error, String actor) {
        String head = "WITH expired AS (SELECT id, lease_token FROM jobs WHERE status = 'RUNNING'"
                + " AND lease_expires_at < clock_timestamp() ORDER BY lease_expires_at LIMIT ? FOR UPDATE SKIP LOCKED), ";
        String where = " FROM expired WHERE jobs.id = expired.id AND jobs.status = 'RUNNING'"
                + " AND jobs.lease_token = expired.lease_token AND jobs.lease_expires_at < clock_timestamp()";
        List<Object> parameters = new ArrayList<>();
        parameters.add(limit);
        parameters.add(error);
        parameters.add(null);
        parameters.add(null);
        parameters.add(null);
        parameters.add(actor);
        return new CompareAndSetStatement(assemble(head, JobStatus.FAILED, where), Collections.unmodifiableList(parameters));
    }

    private static final int EXPECTED_STATUS = 1;
    private static final int EXPECTED_VERSION = 2;
    private static final int REQUIRED_VERSION = 4;
    private static final int KEY = 8;

    /** Every statement there can be, by target and by which optional conditions it has: built once. */
    private static final Map<JobStatus, List<String>> SQL = buildAll();

    private static Map<JobStatus, List<String>> buildAll() {
        Map<JobStatus, List<String>> all = new EnumMap<>(JobStatus.class);
        for (JobStatus to : EFFECTS.keySet()) {
            List<String> shapes = new ArrayList<>();
            for (int shape = 0; shape < 16; shape++) {
                shapes.add(build(to, shape));
            }
            all.put(to, List.copyOf(shapes));
        }
        return all;
    }

    /**
     * Placeholders, in order: the effect's values (COMPLETED: result, FAILED: error, RUNNING: token and
     * lease seconds twice), id, lease token (COMPLETED, FAILED), conditions, key, fingerprint, reason, actor.
     */
    private static String build(JobStatus to, int shape) {
        StringBuilder where = new StringBuilder(" WHERE id = ? AND status IN (")
                .append(quoted(JobStatus.predecessorsOf(to))).append(')');
        if (FENCED.contains(to)) {
            where.append(" AND lease_token = ?");
        }
        if ((shape & EXPECTED_STATUS) != 0) {
            where.append(" AND status = ?");
        }
        if ((shape & EXPECTED_VERSION) != 0) {
            where.append(" AND version = ?");
        }
        if ((shape & REQUIRED_VERSION) != 0) {
            where.append(" AND version = ?");
        }
        if ((shape & KEY) != 0) {
            where.append(" AND NOT EXISTS (SELECT 1 FROM job_history h WHERE h.job_id = jobs.id AND h.idempotency_key = ?)");
        }
        return assemble("WITH ", to, where.toString());
    }

    /** {@code head} opens the WITH clause (and may define CTEs the {@code where} clause joins). */
    private static String assemble(String head, JobStatus to, String where) {
        return new StringBuilder(head).append("moved AS (UPDATE jobs SET previous_status = status, status = '")
                .append(to.name()).append("', version = version + 1, updated_at = now(), ")
                .append(EFFECTS.get(to))
                .append(where)
                .append(" RETURNING ").append(JobRows.columns("jobs")).append(", previous_status)")
                .append(", recorded AS (INSERT INTO job_history (job_id, version, from_status, to_status, at, attempt,")
                .append(" idempotency_key, request_fingerprint, reason, actor)")
                .append(" SELECT id, version, previous_status, status, updated_at, attempt, ?, ?, ?, ? FROM moved)")
                .append(", announced AS (INSERT INTO job_events (job_id, from_status, to_status, version, at)")
                .append(" SELECT id, previous_status, status, version, updated_at FROM moved)")
                .append(" SELECT * FROM moved")
                .toString();
    }

    String sql() {
        return sql;
    }

    /** The values bound to the statement's placeholders, in order ({@code null} where absent). */
    List<Object> parameters() {
        return parameters;
    }

    PreparedStatement prepare(Connection connection) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.size(); i++) {
            Object value = parameters.get(i);
            if (value == null) {
                statement.setNull(i + 1, Types.VARCHAR);
            } else {
                statement.setObject(i + 1, value);
            }
        }
        return statement;
    }

    private static String quoted(Set<JobStatus> statuses) {
        return statuses.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
    }
}
