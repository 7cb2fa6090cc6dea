package io.jobstate.client.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobstate.client.fake.Exchange;
import io.jobstate.client.fake.Fault;
import io.jobstate.client.fake.Route;
import io.jobstate.client.api.JobStatus;
import io.jobstate.client.api.TransitionRequest;
import io.jobstate.client.problem.ContentionException;
import io.jobstate.client.problem.UnavailableException;
import io.jobstate.client.testing.ClientContainer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;

/**
 * The Fault Tolerance guard, configured through MicroProfile Fault Tolerance's per-method keys
 * as a deployment would: the timeout ends an attempt that hangs (and does not count the wait
 * before it), the circuit breaker spares a failing service.
 */
class GuardTest extends ClientTest {

    @Override
    Map<String, String> configuration() {
        return Map.of(
                // the socket would wait 10 s: only the guard's timeout can end the attempt earlier
                "jobstate/mp-rest/readTimeout", "10000",
                ClientContainer.ATTEMPTS + "Timeout/value", "500",
                ClientContainer.RETRIES + "Retry/maxRetries", "1",
                ClientContainer.ATTEMPTS + "CircuitBreaker/requestVolumeThreshold", "4",
                ClientContainer.ATTEMPTS + "CircuitBreaker/delay", "60000");
    }

    @Test
    void theTimeoutEndsAHangingAttemptAndTheRetryIsReplayed() {
        UUID id = fake().givenJob().id();
        fake().inject(Route.TRANSITION, 1, new Fault.SlowAfterApplying(Duration.ofSeconds(2)));

        OperationResult result = coordinator().start(id);

        assertThat(result).isInstanceOf(OperationResult.Applied.class);
        assertThat(fake().exchanges(Route.TRANSITION)).extracting(Exchange::applied).containsExactly(true, false);
        assertThat(fake().history(id)).hasSize(1);
    }

    @Test
    void theWaitForRetryAfterIsNotPartOfTheNextAttemptsTime() {
        UUID id = fake().givenJob().id();
        // a first call starts the client up, so that its start-up is not taken for a slow attempt below
        coordinator().job(id);
        // the server asks for a second; an attempt may take half of one
        fake().inject(Route.TRANSITION, 1, new Fault.Unavailable(Duration.ofSeconds(1)));

        OperationResult result = coordinator().start(id);

        assertThat(result).isInstanceOf(OperationResult.Applied.class);
        List<Exchange> attempts = fake().exchanges(Route.TRANSITION);
        assertThat(attempts).extracting(Exchange::status).containsExactly(503, 200);
        assertThat(Duration.ofNanos(attempts.get(1).receivedNanos() - attempts.get(0).receivedNanos()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aBusyJobAndConflictsNeverOpenTheCircuit() {
        UUID id = fake().givenJob().id();

        for (int call = 0; call < 4; call++) {
            fake().inject(Route.TRANSITION, 2, new Fault.Busy());
            assertThatThrownBy(() -> coordinator().start(id)).isInstanceOf(ContentionException.class);
            coordinator().apply(Operation.of(id, TransitionRequest.to(JobStatus.COMPLETED)));
        }
        OperationResult started = coordinator().start(id);

        assertThat(started).isInstanceOf(OperationResult.Applied.class);
        assertThat(fake().exchanges(Route.TRANSITION)).hasSize(13);
    }

    @Test
    void theCircuitOpensAfterRepeatedFailuresAndCallsFailFastWithoutReachingTheService() {
        UUID id = fake().givenJob().id();
        fake().inject(Route.TRANSITION, 4, new Fault.Unavailable(Duration.ZERO));

        // two calls of two attempts each: four failures in a rolling window of four
        for (int call = 0; call < 2; call++) {
            assertThatThrownBy(() -> coordinator().start(id)).isInstanceOf(UnavailableException.class);
        }
        assertThatThrownBy(() -> coordinator().start(id)).isInstanceOf(CircuitBreakerOpenException.class);

        assertThat(fake().exchanges(Route.TRANSITION)).hasSize(4);
        assertThat(fake().history(id)).isEmpty();
    }
}
