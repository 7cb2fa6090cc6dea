package io.jobstate.persistence.internal;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.claim.ClaimOutcome;
import io.jobstate.jobs.claim.ClaimRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * Claims ({@link TransitionStatement#claiming}): one statement picks, locks and moves the job, in
 * auto-commit. With an idempotency key the claim it made before is looked up first (through the
 * unique index of claim keys, V8); when a concurrent attempt with the same key commits first, this
 * attempt's statement fails whole on that index and answers the other's claim instead. Stateless
 * and thread-safe; the caller owns the connection.
 */
final class Claims {

    private static final String CLAIM_KEY_INDEX = "job_history_claim_keys";
    /** The claim made with a key: its history row and its job (the index's predicate, spelled as the index has it). */
    private static final String BY_KEY = "SELECT " + JobTable.columns("j") + ", " + HistoryTable.COLUMNS
            + " FROM job_history h JOIN jobs j ON j.id = h.job_id WHERE h.idempotency_key = ?"
            + " AND h.to_status = 'RUNNING' AND h.reason = '" + ClaimRequest.REASON + "'";

    private Claims() {
    }

    /** {@code traceId}: the trace of the request, recorded with the claim's event ({@code null}: none). */
    static ClaimOutcome claim(Connection connection, ClaimRequest request, String traceId) throws SQLException {
        if (request.idempotencyKey() != null) {
            Optional<ClaimOutcome> earlier = earlier(connection, request);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        TransitionStatement statement = TransitionStatement.claiming(request, UUID.randomUUID().toString(), traceId);
        try (PreparedStatement prepared = statement.prepare(connection); ResultSet row = prepared.executeQuery()) {
            return row.next() ? new ClaimOutcome.Claimed(JobTable.job(row, 1)) : new ClaimOutcome.NoneQueued();
        } catch (SQLException e) {
            if (Failures.isUniqueViolation(e, CLAIM_KEY_INDEX)) {
                // an attempt with the same key committed after this statement's snapshot: answer its claim
                return earlier(connection, request).orElseThrow(() -> new IllegalStateException(
                        "a claim with the key was committed, yet none is recorded", e));
            }
            throw e;
        }
    }

    private static Optional<ClaimOutcome> earlier(Connection connection, ClaimRequest request) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(BY_KEY)) {
            select.setString(1, request.idempotencyKey());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                Job job = JobTable.job(row, 1);
                HistoryEntry entry = HistoryTable.entry(row, JobTable.COLUMN_COUNT + 1);
                // a replay answers what the claim produced (same job, same lease), whatever happened since
                return Optional.of(request.fingerprint().equals(entry.requestFingerprint())
                        ? new ClaimOutcome.Replayed(job.asLeftBy(entry), entry)
                        : new ClaimOutcome.KeyReused(job.asLeftBy(entry)));
            }
        }
    }
}
