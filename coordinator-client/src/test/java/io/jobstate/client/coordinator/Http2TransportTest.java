package io.jobstate.client.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobstate.client.api.Job;
import io.jobstate.client.api.JobStatus;
import io.jobstate.client.api.NewJob;
import io.jobstate.client.api.TransitionRequest;
import io.jobstate.client.fake.Exchange;
import io.jobstate.client.problem.UnreachableException;
import io.jobstate.client.testing.ClientContainer;
import io.jobstate.client.transport.Http2Transport;
import jakarta.ws.rs.ProcessingException;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@code jobstate.client.http2} decides which engine carries the jobstate client's calls (the JDK's
 * client, which speaks HTTP/2, or the runtime's own), and the JDK's keeps the client's error
 * classes. That the guarantees hold on it is shown by the coordinator's tests, which the build runs
 * a second time with the switch on (coordinator-client's pom, execution {@code over-http2-engine});
 * that one connection then carries a stale coordinator's conflicts, by StaleCoordinatorConnectionsIT
 * (it-tests, against Liberty).
 */
class Http2TransportTest {

    /** How the JDK's HTTP client names itself in every request. */
    private static final String JDK_CLIENT = "Java-http-client";

    @Nested
    class WithTheSwitch extends ClientTest {

        @Override
        Map<String, String> configuration() {
            return Map.of(Http2Transport.ENABLED, "true");
        }

        @Test
        void everyCallTravelsThroughTheJdkClient() {
            Job job = coordinator().create(NewJob.ofType("h2"));
            coordinator().apply(Operation.of(job.id(), TransitionRequest.to(JobStatus.QUEUED).expecting(JobStatus.QUEUED, 7)));
            coordinator().job(job.id());

            assertThat(fake().exchanges()).hasSizeGreaterThanOrEqualTo(3).extracting(Exchange::userAgent)
                    .allSatisfy(agent -> assertThat(agent).startsWith(JDK_CLIENT));
        }
    }

    @Nested
    class WithoutIt extends ClientTest {

        @Override
        Map<String, String> configuration() {
            return Map.of(Http2Transport.ENABLED, "false");
        }

        @Test
        void theRuntimesEngineCarriesTheCalls() {
            coordinator().create(NewJob.ofType("h1"));

            assertThat(fake().exchanges()).extracting(Exchange::userAgent)
                    .noneSatisfy(agent -> assertThat(agent).startsWith(JDK_CLIENT));
        }
    }

    @Test
    void aHostThatDoesNotResolveStaysAConfigurationErrorAndIsNotRetried() {
        try (ClientContainer client = ClientContainer.start(Map.of("jobstate/mp-rest/url", "http://no-such-host.invalid:9",
                Http2Transport.ENABLED, "true"))) {
            assertThatThrownBy(() -> client.coordinator().create(NewJob.ofType("h2")))
                    .isInstanceOf(ProcessingException.class).isNotInstanceOf(UnreachableException.class)
                    .hasCauseInstanceOf(UnknownHostException.class);
        }
    }
}
