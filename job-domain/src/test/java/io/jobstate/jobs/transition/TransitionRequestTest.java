package io.jobstate.jobs.transition;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.Violation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TransitionRequestTest {

    @Test
    void aPlainRequestIsValid() {
        assertThat(TransitionRequest.to(JobStatus.RUNNING).violations()).isEmpty();
    }

    @Test
    void targetIsRequiredAndNeverPending() {
        assertThat(TransitionRequest.to(null).violations()).containsExactly(new Violation("to", "is required"));
        assertThat(TransitionRequest.to(JobStatus.PENDING).violations()).extracting(Violation::field)
                .containsExactly("to");
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"QUEUED", "RUNNING", "FAILED", "CANCELLED"})
    void resultOnlyGoesWithCompleted(JobStatus to) {
        assertThat(TransitionRequest.to(to).withResult("{}").violations()).extracting(Violation::field)
                .containsExactly("result");
        assertThat(TransitionRequest.to(JobStatus.COMPLETED).withResult("{}").violations()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"QUEUED", "RUNNING", "COMPLETED", "CANCELLED"})
    void errorOnlyGoesWithFailed(JobStatus to) {
        assertThat(TransitionRequest.to(to).withError("x").violations()).extracting(Violation::field)
                .containsExactly("error");
        assertThat(TransitionRequest.to(JobStatus.FAILED).withError("x").violations()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"QUEUED", "RUNNING", "COMPLETED", "FAILED"})
    void reasonOnlyGoesWithCancelled(JobStatus to) {
        assertThat(TransitionRequest.to(to).withReason("x").violations()).extracting(Violation::field)
                .containsExactly("reason");
        assertThat(TransitionRequest.to(JobStatus.CANCELLED).withReason("x").violations()).isEmpty();
    }

    @Test
    void keysVersionsAndTextsAreBounded() {
        TransitionRequest request = TransitionRequest.to(JobStatus.FAILED)
                .withIdempotencyKey("k".repeat(201))
                .expectingVersion(-1L)
                .ifMatch(-1L)
                .withError("e".repeat(TransitionRequest.MAX_ERROR_LENGTH + 1));

        assertThat(request.violations()).extracting(Violation::field)
                .containsExactlyInAnyOrder("Idempotency-Key", "expectedVersion", "If-Match", "error");
        assertThat(TransitionRequest.to(JobStatus.RUNNING).withIdempotencyKey(" ").violations())
                .extracting(Violation::field).containsExactly("Idempotency-Key");
        assertThat(TransitionRequest.to(JobStatus.RUNNING).withIdempotencyKey("k".repeat(200)).violations())
                .isEmpty();
    }

    @Test
    void fingerprintCoversTheBodyButNotTheKeyOrIfMatch() {
        TransitionRequest base = TransitionRequest.to(JobStatus.COMPLETED).withResult("{\"a\":1}");

        assertThat(base.withIdempotencyKey("k").ifMatch(4L).fingerprint()).isEqualTo(base.fingerprint());
        assertThat(base.withResult("{\"a\":2}").fingerprint()).isNotEqualTo(base.fingerprint());
        assertThat(base.expectingVersion(1L).fingerprint()).isNotEqualTo(base.fingerprint());
        assertThat(base.expectingStatus(JobStatus.RUNNING).fingerprint()).isNotEqualTo(base.fingerprint());
    }

    @Test
    void textsThatPostgresqlCannotStoreAreInvalid() {
        TransitionRequest request = TransitionRequest.to(JobStatus.FAILED).withError("a\u0000b").withIdempotencyKey("k\u0000");

        assertThat(request.violations()).extracting(Violation::field).containsExactlyInAnyOrder("error", "Idempotency-Key");
        assertThat(TransitionRequest.to(JobStatus.COMPLETED).withResult("\"\u0000\"").violations())
                .extracting(Violation::field).containsExactly("result");
    }
}
