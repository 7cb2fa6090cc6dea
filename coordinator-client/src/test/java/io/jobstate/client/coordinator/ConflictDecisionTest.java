package io.jobstate.client.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.client.api.JobStatus;
import io.jobstate.client.api.TransitionRequest;
import io.jobstate.client.problem.ConflictException;
import io.jobstate.client.problem.ConflictReason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConflictDecisionTest {

    @ParameterizedTest(name = "{0} to {1}, job now {2} -> {3}")
    @CsvSource({
            "STALE_VERSION,          RUNNING,   QUEUED,    REBASE",
            "STALE_STATUS,           CANCELLED, RUNNING,   REBASE",
            "STALE_STATUS,           RUNNING,   CANCELLED, SUPERSEDED",
            "STALE_VERSION,          COMPLETED, RUNNING,   SUPERSEDED",
            "STALE_VERSION,          FAILED,    RUNNING,   SUPERSEDED",
            "ILLEGAL_TRANSITION,     CANCELLED, COMPLETED, SUPERSEDED",
            "ILLEGAL_TRANSITION,     RUNNING,   RUNNING,   CONFIRM_FROM_HISTORY",
            "STALE_VERSION,          QUEUED,    QUEUED,    CONFIRM_FROM_HISTORY",
            "IDEMPOTENCY_KEY_REUSED, RUNNING,   COMPLETED, CONFIRM_FROM_HISTORY",
            "UNKNOWN,                RUNNING,   QUEUED,    SUPERSEDED"})
    void decides(ConflictReason reason, JobStatus requested, JobStatus current, ConflictDecision expected) {
        ConflictException conflict = new ConflictException("conflict", "id", current, 3, requested, reason);

        assertThat(ConflictDecision.after(conflict, TransitionRequest.to(requested))).isEqualTo(expected);
    }
}
