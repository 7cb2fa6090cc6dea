package io.jobstate.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.claim.ClaimRequest;
import io.jobstate.jobs.transition.TransitionRequest;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Golden tests: the complete statements, text and values in order, so that a clause or a value out
 * of place fails here, before any database sees it (the contract ITs then run them for real).
 */
class TransitionStatementTest {

    private static final UUID ID = UUID.fromString("00000000-0000-0000-0000-00000000002a");

    private static final String RECORDED_AND_ANNOUNCED = " RETURNING jobs.*), recorded AS (INSERT INTO job_history (job_id, version,"
            + " from_status, to_status, at, attempt, idempotency_key, request_fingerprint, reason, actor, progress, result, error,"
            + " started_at, finished_at, lease_token, lease_expires_at, lease_seconds) SELECT id, version, previous_status,"
            + " status, updated_at, attempt, ?, ?, ?, ?, progress, result, error, started_at, finished_at, lease_token,"
            + " lease_expires_at, lease_seconds FROM moved), announced AS (INSERT INTO event_outbox (job_id, from_status,"
            + " to_status, version, at, trace_id) SELECT id, previous_status, status, version, updated_at, CAST(? AS text)"
            + " FROM moved)";
    private static final String MOVED_COLUMNS = "moved.id, moved.type, moved.status, moved.version, moved.attempt,"
            + " moved.progress, moved.payload::text, moved.result::text, moved.error, moved.created_at, moved.updated_at,"
            + " moved.started_at, moved.finished_at, moved.lease_token, moved.lease_expires_at, moved.lease_seconds,"
            + " moved.previous_status";
    private static final String ENTRY_AND_CLOCK = "h.version, h.from_status, h.to_status, h.at, h.attempt,"
            + " h.idempotency_key, h.request_fingerprint, h.actor, h.reason, h.progress, h.result::text, h.error,"
            + " h.started_at, h.finished_at, h.lease_token, h.lease_expires_at, h.lease_seconds, now()";
    /** The reaper's and a claim's answer: each job written. */
    private static final String MOVED_ROWS = " SELECT " + MOVED_COLUMNS + " FROM moved";
    /** A transition's answer: the job written, or else the job as the statement read it, with the key's entry. */
    private static final String WRITTEN_OR_READ = " SELECT true, " + MOVED_COLUMNS + ", " + ENTRY_AND_CLOCK
            + " FROM moved LEFT JOIN job_history h ON false UNION ALL SELECT false, j.id, j.type, j.status, j.version,"
            + " j.attempt, j.progress, j.payload::text, j.result::text, j.error, j.created_at, j.updated_at, j.started_at,"
            + " j.finished_at, j.lease_token, j.lease_expires_at, j.lease_seconds, j.previous_status, " + ENTRY_AND_CLOCK
            + " FROM jobs j LEFT JOIN job_history h ON h.job_id = j.id AND h.idempotency_key = ?"
            + " WHERE j.id = ? AND NOT EXISTS (SELECT 1 FROM moved)";
    private static final String NO_LEASE = ", lease_token = NULL, lease_expires_at = NULL, lease_seconds = NULL";

    @Test
    void aFailureWithEveryConditionIsOneStatementWithItsValuesInOrder() {
        TransitionRequest request = TransitionRequest.to(JobStatus.FAILED).withError("disk full").withLeaseToken("token-1")
                .expectingStatus(JobStatus.RUNNING).expectingVersion(3L).ifMatch(4L).withIdempotencyKey("key-1")
                .by("alice");

        TransitionStatement statement = TransitionStatement.of(ID, request);

        assertThat(statement.sql()).isEqualTo("WITH moved AS (UPDATE jobs SET previous_status = status, status = 'FAILED',"
                + " version = version + 1, updated_at = now(), result = NULL, error = ?, finished_at = now()" + NO_LEASE
                + " WHERE id = ? AND (jobs.status IN ('RUNNING')) IS TRUE AND lease_token = ? AND (jobs.status = ?) IS TRUE AND version = ?"
                + " AND version = ? AND NOT EXISTS (SELECT 1 FROM job_history h WHERE h.job_id = jobs.id"
                + " AND h.idempotency_key = ?)" + RECORDED_AND_ANNOUNCED + WRITTEN_OR_READ);
        assertThat(statement.parameters()).containsExactly("disk full", ID, "token-1", "RUNNING", 3L, 4L, "key-1",
                "key-1", request.fingerprint(), null, "alice", null, "key-1", ID);
    }

    @Test
    void aStartGrantsTheLeaseItIsGivenForTheLengthAskedAndRecordsNoKeyWithoutOne() {
        TransitionRequest request = TransitionRequest.to(JobStatus.RUNNING).withLeaseSeconds(90);

        TransitionStatement statement = TransitionStatement.of(ID, request, "new-token");

        assertThat(statement.sql()).isEqualTo("WITH moved AS (UPDATE jobs SET previous_status = status, status = 'RUNNING',"
                + " version = version + 1, updated_at = now(), progress = 0, result = NULL, error = NULL, started_at = now(),"
                + " finished_at = NULL, lease_token = ?, lease_seconds = CAST(? AS integer)"
                + " WHERE id = ? AND (jobs.status IN ('PENDING', 'QUEUED')) IS TRUE" + RECORDED_AND_ANNOUNCED + WRITTEN_OR_READ);
        // the expiry is the database's to compute (trigger jobs_lease_clock): no statement writes one
        assertThat(statement.sql()).doesNotContain("lease_expires_at =");
        assertThat(statement.parameters()).containsExactly("new-token", 90, ID, null, null, null, null, null, null, ID);
    }

    @Test
    void aCancellationRecordsItsReasonAndAResultIsCastToJsonb() {
        assertThat(TransitionStatement.of(ID, TransitionRequest.to(JobStatus.CANCELLED).withReason("obsolete"))
                .parameters()).containsExactly(ID, null, null, "obsolete", null, null, null, ID);
        TransitionStatement completion = TransitionStatement.of(ID,
                TransitionRequest.to(JobStatus.COMPLETED).withResult("{\"ok\": true}").withLeaseToken("t"));
        assertThat(completion.sql()).contains("SET previous_status = status, status = 'COMPLETED', version = version + 1,"
                + " updated_at = now(), progress = 100, result = CAST(? AS jsonb), error = NULL, finished_at = now()" + NO_LEASE
                + " WHERE id = ? AND (jobs.status IN ('RUNNING')) IS TRUE AND lease_token = ? RETURNING");
        assertThat(completion.parameters()).containsExactly("{\"ok\": true}", ID, "t", null, null, null, null, null, null, ID);
    }

    @Test
    void aDecidedTransitionIsConditionedOnTheLockedVersionAfterTheCallersConditions() {
        TransitionRequest request = TransitionRequest.to(JobStatus.QUEUED).ifMatch(2L);

        TransitionStatement statement = TransitionStatement.decided(ID, request, 2L, null, "0af7651916cd43dd8448eb211c80319c");

        assertThat(statement.sql()).contains(" WHERE id = ? AND (jobs.status IN ('PENDING', 'FAILED')) IS TRUE AND version = ?"
                + " AND version = ? RETURNING jobs.*)");
        // the row is locked: the write must match, there is nothing to explain
        assertThat(statement.sql()).doesNotContain("UNION ALL");
        assertThat(statement.parameters()).containsExactly(ID, 2L, 2L, null, null, null, null, "0af7651916cd43dd8448eb211c80319c");
    }

    @Test
    void theReaperFailsExpiredLeasesWithTheSameRowsAsAnyTransition() {
        TransitionStatement statement = TransitionStatement.reaping(500, "lease expired", "reaper");

        assertThat(statement.sql()).isEqualTo("WITH expired AS (SELECT id, lease_token FROM jobs WHERE status = 'RUNNING'"
                + " AND lease_expires_at < (SELECT clock_timestamp()) ORDER BY lease_expires_at LIMIT ? FOR UPDATE SKIP LOCKED),"
                + " moved AS (UPDATE jobs SET previous_status = status, status = 'FAILED', version = version + 1,"
                + " updated_at = now(), result = NULL, error = ?, finished_at = now()" + NO_LEASE
                + " FROM expired WHERE jobs.id = expired.id"
                + " AND jobs.lease_token = expired.lease_token AND jobs.lease_expires_at < clock_timestamp()"
                + RECORDED_AND_ANNOUNCED + MOVED_ROWS);
        assertThat(statement.parameters()).containsExactly(500, "lease expired", null, null, null, "reaper", null);
    }

    @Test
    void theEventRecordsTheTraceOfTheRequestAsItsLastValue() {
        TransitionStatement statement = TransitionStatement.of(ID, TransitionRequest.to(JobStatus.QUEUED), null,
                "4bf92f3577b34da6a3ce929d0e0e4736");

        assertThat(statement.sql()).contains("updated_at, CAST(? AS text) FROM moved) SELECT");
        assertThat(statement.parameters()).containsExactly(ID, null, null, null, null, "4bf92f3577b34da6a3ce929d0e0e4736",
                null, ID);
    }

    @Test
    void aClaimLocksTheOldestQueuedJobOfItsTypesSkippingHeldOnesAndStartsItAsAStartWould() {
        ClaimRequest request = new ClaimRequest(List.of("b", "a", "b"), 90, "claim-key", "worker-7");

        TransitionStatement statement = TransitionStatement.claiming(request, "new-token", "4bf92f3577b34da6a3ce929d0e0e4736");

        assertThat(statement.sql()).isEqualTo("WITH candidate AS (SELECT id FROM jobs WHERE status = 'QUEUED'"
                + " AND version > 0 AND type IN (?, ?) AND NOT EXISTS (SELECT 1 FROM job_history h WHERE h.job_id = jobs.id"
                + " AND h.idempotency_key = ?) ORDER BY updated_at, id LIMIT 1 FOR UPDATE SKIP LOCKED),"
                + " moved AS (UPDATE jobs SET previous_status = status, status = 'RUNNING',"
                + " version = version + 1, updated_at = now(), progress = 0, result = NULL, error = NULL, started_at = now(),"
                + " finished_at = NULL, lease_token = ?, lease_seconds = CAST(? AS integer)"
                + " FROM candidate WHERE jobs.id = candidate.id AND (jobs.status IN ('QUEUED')) IS TRUE" + RECORDED_AND_ANNOUNCED + MOVED_ROWS);
        assertThat(statement.parameters()).containsExactly("a", "b", "claim-key", "new-token", 90, "claim-key", request.fingerprint(),
                ClaimRequest.REASON, "worker-7", "4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(TransitionStatement.claiming(ClaimRequest.anyType(), "t", null).sql())
                .startsWith("WITH candidate AS (SELECT id FROM jobs WHERE status = 'QUEUED' AND version > 0 ORDER BY updated_at, id LIMIT 1");
    }

    @Test
    void aClaimOfOneTypeLeavesOutThePredicateOfTheAnyTypeQueueIndex() {
        ClaimRequest request = new ClaimRequest(List.of("a"), null, null, null);

        assertThat(TransitionStatement.claiming(request, "t", null).sql())
                .startsWith("WITH candidate AS (SELECT id FROM jobs WHERE status = 'QUEUED' AND type IN (?) ORDER BY updated_at, id LIMIT 1");
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = "PENDING", mode = EnumSource.Mode.EXCLUDE)
    void theGuardOfEveryTargetIsTheDomainsSetOfPredecessors(JobStatus to) {
        String predecessors = Arrays.stream(JobStatus.values()).filter(from -> from.canTransitionTo(to))
                .map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));

        String sql = TransitionStatement.of(ID, TransitionRequest.to(to).withLeaseToken("t")).sql();

        assertThat(sql).contains("status = '" + to.name() + "', version = version + 1")
                .contains("WHERE id = ? AND (jobs.status IN (" + predecessors + ")) IS TRUE");
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = "PENDING", mode = EnumSource.Mode.EXCLUDE)
    void everyPlaceholderHasItsValueWhateverTheRequestStates(JobStatus to) {
        TransitionRequest plain = TransitionRequest.to(to);
        TransitionRequest full = plain.expectingStatus(JobStatus.QUEUED).expectingVersion(3L).ifMatch(3L)
                .withIdempotencyKey("k").withLeaseToken("t");

        for (TransitionRequest request : new TransitionRequest[] {plain, full}) {
            TransitionStatement statement = TransitionStatement.of(ID, request);
            long placeholders = statement.sql().chars().filter(c -> c == '?').count();
            assertThat(statement.parameters()).hasSize((int) placeholders).contains(ID);
        }
    }
}
