package io.jobstate.client.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobstate.client.api.JobStatus;
import io.jobstate.client.fake.Fault;
import io.jobstate.client.fake.Route;
import io.jobstate.client.problem.AccessDeniedException;
import io.jobstate.client.problem.InvalidRequestException;
import io.jobstate.client.problem.JobNotFoundException;
import io.jobstate.client.problem.JobstateException;
import io.jobstate.client.problem.PreconditionFailedException;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Answers about the request itself are never retried: one attempt, one typed exception. */
class RefusalsTest extends ClientTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "400, io.jobstate.client.problem.InvalidRequestException",
            "401, io.jobstate.client.problem.AccessDeniedException",
            "403, io.jobstate.client.problem.AccessDeniedException",
            "404, io.jobstate.client.problem.JobNotFoundException",
            "412, io.jobstate.client.problem.PreconditionFailedException",
            "413, io.jobstate.client.problem.JobstateException",
            "415, io.jobstate.client.problem.JobstateException",
            "500, io.jobstate.client.problem.JobstateException"})
    void isNotRetried(int status, Class<? extends JobstateException> type) {
        UUID id = fake().givenJob().id();
        fake().inject(Route.TRANSITION, 1, new Fault.Refused(status));

        assertThatThrownBy(() -> coordinator().start(id)).isExactlyInstanceOf(type)
                .extracting(e -> ((JobstateException) e).status()).isEqualTo(status);

        assertThat(fake().exchanges(Route.TRANSITION)).hasSize(1);
        assertThat(fake().history(id)).isEmpty();
    }

    @Test
    void anInvalidFieldIsNamed() {
        UUID id = fake().givenJob().id();
        fake().givenTransition(id, io.jobstate.jobs.JobStatus.RUNNING);

        assertThatThrownBy(() -> coordinator().fail(id, "x".repeat(5000)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.errors())
                        .extracting(InvalidRequestException.FieldError::field).containsExactly("error"));
        assertThat(fake().exchanges(Route.TRANSITION)).hasSize(1);
    }

    @Test
    void anUnknownJobIsNamed() {
        UUID unknown = UUID.randomUUID();

        assertThatThrownBy(() -> coordinator().cancel(unknown, "no longer needed"))
                .isInstanceOfSatisfying(JobNotFoundException.class, e -> assertThat(e.jobId()).isEqualTo(unknown.toString()));
        assertThat(fake().exchanges(Route.TRANSITION)).hasSize(1);
    }

    @Test
    void aMissingTokenIsRefusedOnce() {
        UUID id = fake().givenJob().id();
        fake().requireToken("not-configured-in-the-client");

        assertThatThrownBy(() -> coordinator().job(id)).isInstanceOfSatisfying(AccessDeniedException.class,
                e -> assertThat(e.status()).isEqualTo(401));
        assertThat(fake().exchanges(Route.GET)).hasSize(1);
    }

    @Test
    void aFailedPreconditionCarriesTheCurrentVersion() {
        UUID id = fake().givenJob().id();
        fake().inject(Route.TRANSITION, 1, new Fault.Refused(412));

        assertThatThrownBy(() -> coordinator().queue(id)).isInstanceOfSatisfying(PreconditionFailedException.class, e -> {
            assertThat(e.currentStatus()).isEqualTo(JobStatus.PENDING);
            assertThat(e.currentVersion()).isZero();
            assertThat(e.jobId()).isEqualTo(id.toString());
        });
    }
}
