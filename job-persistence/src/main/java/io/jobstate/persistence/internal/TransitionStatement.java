package io.jobstate.persistence.internal;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.claim.ClaimRequest;
import io.jobstate.jobs.transition.TransitionRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The single statement that decides and writes a transition: an UPDATE whose WHERE holds every
 * rule (legal predecessor, the run's lease for COMPLETED and FAILED, stated expectations, If-Match,
 * key not yet used), with the history row and the outbox row inserted by the same statement from
 * the row it wrote. PostgreSQL re-checks the WHERE on the newest row version after waiting for a
 * concurrent writer, so there is no window between check and write. The pessimistic path writes
 * its decided transitions with it too, the lease reaper reaps with it and a worker's claim claims with it. Thread-safe (immutable).
 */
final class TransitionStatement {

    /** Completing and failing finish a worker's run: they need its lease token. */
    private static final Set<JobStatus> FENCED = Set.of(JobStatus.COMPLETED, JobStatus.FAILED);
    /**
     * Column 1 of a transition's answer: whether it is the written job (columns 2.. the job, then the
     * status it left) or the job as read (the job, its previous status, then {@link CurrentState#COLUMNS}).
     */
    static final int APPLIED = 1;
    // the history entry and the clock are columns of the answer's other form: none here ("ON false")
    private static final BoundSql APPLIED_ROW = BoundSql.builder()
            .append("SELECT true, " + JobTable.columns("moved") + ", moved.previous_status, " + CurrentState.COLUMNS
                    + " FROM moved LEFT JOIN job_history h ON false")
            .build();
    private static final String KEY_UNUSED =
            " AND NOT EXISTS (SELECT 1 FROM job_history h WHERE h.job_id = jobs.id AND h.idempotency_key = ?)";

    /** The answer of the reaper and of a claim: the job's columns and the status it left, per job written. */
    private static final BoundSql MOVED_ROWS = BoundSql.builder()
            .append("SELECT " + JobTable.columns("moved") + ", moved.previous_status FROM moved")
            .build();

    private final BoundSql statement;

    private TransitionStatement(BoundSql statement) {
        this.statement = statement;
    }

    /** The statement of a request; a move to RUNNING grants a new random lease token. */
    static TransitionStatement of(UUID id, TransitionRequest request) {
        return of(id, request, UUID.randomUUID().toString());
    }

    /** {@code newLeaseToken} is the token a move to RUNNING grants (random in the service, fixed for pgbench). */
    static TransitionStatement of(UUID id, TransitionRequest request, String newLeaseToken) {
        return of(id, request, newLeaseToken, null);
    }

    /**
     * {@code traceId} is the request's trace, recorded with its event ({@code null}: none). The statement
     * explains itself: it returns one row, the job it wrote ({@link #APPLIED} true), or when it wrote
     * nothing the job as it read it with the history entry of the request's key and the database's clock
     * (false; see {@link CurrentState}), or no row when there is no such job.
     */
    static TransitionStatement of(UUID id, TransitionRequest request, String newLeaseToken, String traceId) {
        return new TransitionStatement(transition(id, request, newLeaseToken, null, traceId));
    }

    /**
     * The write of a transition already decided on the row this transaction holds locked at
     * {@code lockedVersion} (the pessimistic path): the same statement, which then must match.
     */
    static TransitionStatement decided(UUID id, TransitionRequest request, long lockedVersion, String newLeaseToken,
                                       String traceId) {
        return new TransitionStatement(transition(id, request, newLeaseToken, lockedVersion, traceId));
    }

    private static BoundSql transition(UUID id, TransitionRequest request, String newLeaseToken, Long lockedVersion,
                                       String traceId) {
        JobStatus to = request.to();
        BoundSql.Builder where = BoundSql.builder()
                .append(" WHERE id = ?", id)
                .append(JobTable.andStatusIn(JobStatus.predecessorsOf(to)));
        if (FENCED.contains(to)) {
            where.append(" AND lease_token = ?", request.leaseToken());
        }
        if (request.expectedStatus() != null) {
            where.append(JobTable.AND_STATUS_IS_PARAMETER, request.expectedStatus().name());
        }
        if (request.expectedVersion() != null) {
            where.append(" AND version = ?", request.expectedVersion());
        }
        if (request.requiredVersion() != null) {
            where.append(" AND version = ?", request.requiredVersion());
        }
        if (lockedVersion != null) {
            where.append(" AND version = ?", lockedVersion);
        }
        String key = request.idempotencyKey();
        if (key != null) {
            where.append(KEY_UNUSED, key);
        }
        BoundSql set = JobTable.entering(to, request.result(), request.error(), newLeaseToken,
                request.effectiveLeaseSeconds());
        BoundSql history = HistoryTable.insertFrom("moved", key, key == null ? null : request.fingerprint(),
                request.reason(), request.actor());
        // a decided write must match (the row is locked): nothing to explain
        BoundSql answer = lockedVersion != null ? APPLIED_ROW : explaining(id, key);
        return assemble(BoundSql.builder().build(), set, where.build(), history, traceId, answer);
    }

    /**
     * The answer of a transition: the written job, or if the UPDATE wrote nothing the job as this
     * statement read it. Its snapshot is the one the UPDATE decided on: the row it found did not meet
     * the WHERE (a request refused against that state is refused against the state reported), or met it
     * and then changed before it could be locked (the domain's decision on the reported state then
     * accepts the request, and {@link ConditionalWrite} tries again). The branch runs only when the
     * UPDATE returned nothing (a one-time filter), so an applied transition reads nothing more.
     */
    private static BoundSql explaining(UUID id, String key) {
        return BoundSql.builder()
                .append(APPLIED_ROW)
                .append(" UNION ALL SELECT false, " + JobTable.columns("j") + ", j.previous_status, "
                        + CurrentState.COLUMNS + CurrentState.SOURCE, key, id)
                .append(" AND NOT EXISTS (SELECT 1 FROM moved)")
                .build();
    }

    /**
     * The reaper's statement: up to {@code limit} RUNNING jobs whose lease expired, locked with SKIP
     * LOCKED (a job another reaper or writer holds is left for the next round), each moved to FAILED
     * by the same update, history and outbox as any transition, only if it is still RUNNING with the
     * same lease token and its expiry has passed when the row is written. The caller plans it without
     * sorts ({@link LeaseUpdates#PLANNED_IN_LEASE_ORDER}), so that the candidates come from that index
     * whatever the statistics. The candidates' clock is
     * read once ({@code (SELECT clock_timestamp())}), so that it bounds the scan of the reaper's index
     * (jobs_expiring_leases) at the first lease still running; compared with the volatile clock row by
     * row, the scan went on through every RUNNING job's entry.
     */
    static TransitionStatement reaping(int limit, String error, String actor) {
        BoundSql expired = BoundSql.builder()
                .append("expired AS (SELECT id, lease_token FROM jobs WHERE status = 'RUNNING'"
                        + " AND lease_expires_at < (SELECT clock_timestamp()) ORDER BY lease_expires_at LIMIT ?"
                        + " FOR UPDATE SKIP LOCKED), ", limit)
                .build();
        // RUNNING is re-checked through the lease token: only a RUNNING row has one (CHECK
        // jobs_lease_while_running, V3), and a token is never reused. Written as status = 'RUNNING', it
        // let statistics taken while few jobs ran drive the update through every RUNNING job's entry of
        // jobs_by_status_newest_first rather than the key (QuietStatisticsPlanIT).
        BoundSql where = BoundSql.builder()
                .append(" FROM expired WHERE jobs.id = expired.id"
                        + " AND jobs.lease_token = expired.lease_token AND jobs.lease_expires_at < clock_timestamp()")
                .build();
        BoundSql set = JobTable.entering(JobStatus.FAILED, null, error, null, 0);
        return new TransitionStatement(assemble(expired, set, where,
                HistoryTable.insertFrom("moved", null, null, null, actor), null, MOVED_ROWS));
    }

    /**
     * A worker's claim: the job QUEUED longest (by the time it entered QUEUED, then id) among
     * {@code types} (empty: any), locked with SKIP LOCKED so that a row another claim, a cancel or a
     * transition holds is stepped over rather than waited for, then moved to RUNNING under
     * {@code newLeaseToken} by the same update, history and outbox as any transition. Under READ
     * COMMITTED a candidate that another writer moved after this statement's snapshot fails the
     * re-check of {@code status = 'QUEUED'} when locked, and the scan goes on to the next one: a claim
     * that loses a race takes another job. The history row carries the key (unique among claims, V8),
     * the fingerprint, the reason {@value ClaimRequest#REASON} and the actor; its event, {@code traceId}
     * ({@code null}: none).
     */
    static TransitionStatement claiming(ClaimRequest request, String newLeaseToken, String traceId) {
        List<String> types = request.distinctTypes();
        BoundSql.Builder candidate = BoundSql.builder()
                .append("candidate AS (SELECT id FROM jobs WHERE status = 'QUEUED'");
        if (types.size() != 1) {
            // true of every QUEUED job, and the predicate of the any-type queue index (V10): a claim for
            // one type leaves it out, so that no plan can read every type's queue to find its own
            candidate.append(" AND version > 0");
        }
        if (!types.isEmpty()) {
            candidate.append(" AND type IN (" + String.join(", ", Collections.nCopies(types.size(), "?")) + ")",
                    types.toArray());
        }
        String key = request.idempotencyKey();
        if (key != null) {
            // a job whose history already holds the key (a transition's) could not record the claim: take another
            candidate.append(" AND NOT EXISTS (SELECT 1 FROM job_history h WHERE h.job_id = jobs.id AND h.idempotency_key = ?)", key);
        }
        candidate.append(" ORDER BY updated_at, id LIMIT 1 FOR UPDATE SKIP LOCKED), ");
        BoundSql where = BoundSql.builder()
                .append(" FROM candidate WHERE jobs.id = candidate.id" + JobTable.andStatusIn(Set.of(JobStatus.QUEUED)))
                .build();
        BoundSql set = JobTable.entering(JobStatus.RUNNING, null, null, newLeaseToken, request.effectiveLeaseSeconds());
        return new TransitionStatement(assemble(candidate.build(), set, where, HistoryTable.insertFrom("moved", key,
                key == null ? null : request.fingerprint(), ClaimRequest.REASON, request.actor()), traceId, MOVED_ROWS));
    }

    /**
     * {@code WITH [ctes] moved AS (UPDATE jobs SET … WHERE … RETURNING *), recorded AS (history),
     * announced AS (outbox) [answer]}.
     */
    private static BoundSql assemble(BoundSql ctes, BoundSql set, BoundSql where, BoundSql history, String traceId,
                                     BoundSql answer) {
        return BoundSql.builder()
                .append("WITH ").append(ctes)
                .append("moved AS (UPDATE jobs SET ").append(set).append(where).append(" RETURNING jobs.*)")
                .append(", recorded AS (").append(history).append(")")
                .append(", announced AS (").append(EventTable.insertFrom("moved", traceId)).append(")")
                .append(" ").append(answer)
                .build();
    }

    String sql() {
        return statement.text();
    }

    /** The values bound to the statement's placeholders, in order ({@code null} where absent). */
    List<Object> parameters() {
        return statement.parameters();
    }

    PreparedStatement prepare(Connection connection) throws SQLException {
        return statement.prepare(connection);
    }
}
