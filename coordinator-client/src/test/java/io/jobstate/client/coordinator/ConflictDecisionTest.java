package io.jobstate.client.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.client.api.JobStatus;
import io.jobstate.client.api.TransitionRequest;
import io.jobstate.client.problem.ConflictException;
import io.jobstate.client.problem.ConflictReason;
import org.junit.jupiter.api.Test;
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
            "STALE_VERSION,          QUEUED,    FAILED,    SUPERSEDED",
            "ILLEGAL_TRANSITION,     RUNNING,   RUNNING,   SUPERSEDED",
            "STALE_VERSION,          QUEUED,    QUEUED,    SUPERSEDED",
            "IDEMPOTENCY_KEY_REUSED, RUNNING,   COMPLETED, CONFIRM_FROM_HISTORY",
            "IDEMPOTENCY_KEY_REUSED, CANCELLED, CANCELLED, CONFIRM_FROM_HISTORY",
            "IDEMPOTENCY_KEY_REUSED, COMPLETED, COMPLETED, REFUSE",
            "IDEMPOTENCY_KEY_REUSED, FAILED,    QUEUED,    REFUSE",
            "UNKNOWN,                RUNNING,   QUEUED,    REBASE",
            "UNKNOWN,                RUNNING,   COMPLETED, SUPERSEDED"})
    void decides(ConflictReason reason, JobStatus requested, JobStatus current, ConflictDecision expected) {
        ConflictException conflict = new ConflictException("conflict", "id", current, 3, requested, reason);

        assertThat(ConflictDecision.after(conflict, TransitionRequest.to(requested))).isEqualTo(expected);
    }

    @Test
    void anAnswerNamingNoStateIsLeftToTheCaller() {
        ConflictException conflict = new ConflictException("conflict", null, null, -1, null, ConflictReason.UNKNOWN);

        assertThat(ConflictDecision.after(conflict, TransitionRequest.to(JobStatus.RUNNING))).isEqualTo(ConflictDecision.REFUSE);
    }
}
