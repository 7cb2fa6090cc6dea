package io.jobstate.jobs.creation;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.Violation;
import org.junit.jupiter.api.Test;

class NewJobTest {

    @Test
    void typeIsRequiredAndBounded() {
        assertThat(NewJob.of("build").violations()).isEmpty();
        assertThat(NewJob.of("t".repeat(100)).violations()).isEmpty();
        assertThat(NewJob.of(null).violations()).extracting(Violation::field).containsExactly("type");
        assertThat(NewJob.of("  ").violations()).extracting(Violation::field).containsExactly("type");
        assertThat(NewJob.of("t".repeat(101)).violations()).extracting(Violation::field).containsExactly("type");
    }

    @Test
    void fingerprintCoversTypeAndPayloadButNotTheKey() {
        NewJob job = NewJob.of("build").withPayload("{\"a\":1}");
        assertThat(job.withIdempotencyKey("k").fingerprint()).isEqualTo(job.fingerprint());
        assertThat(job.withPayload("{\"a\":2}").fingerprint()).isNotEqualTo(job.fingerprint());
        assertThat(NewJob.of("deploy").withPayload("{\"a\":1}").fingerprint()).isNotEqualTo(job.fingerprint());
    }

    @Test
    void textsThatPostgresqlCannotStoreAreInvalid() {
        assertThat(NewJob.of("a\u0000").withPayload("\u0000").violations()).extracting(Violation::field)
                .containsExactlyInAnyOrder("type", "payload");
        assertThat(NewJob.of("x\uD800y").violations()).extracting(Violation::field).containsExactly("type");
        assertThat(NewJob.of("x\uDC00").violations()).extracting(Violation::field).containsExactly("type");
        assertThat(NewJob.of("emoji \uD83D\uDE00").violations()).isEmpty();
    }
}
