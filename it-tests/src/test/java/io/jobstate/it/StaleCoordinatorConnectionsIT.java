package io.jobstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.client.api.Job;
import io.jobstate.client.api.JobStatus;
import io.jobstate.client.api.NewJob;
import io.jobstate.client.api.TransitionRequest;
import io.jobstate.client.auth.BearerToken;
import io.jobstate.client.coordinator.JobCoordinator;
import io.jobstate.client.coordinator.Operation;
import io.jobstate.client.coordinator.OperationResult;
import io.jobstate.client.testing.ClientContainer;
import io.jobstate.client.transport.Http2Transport;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * A stale coordinator, whose every operation gets a 409, keeps one connection when the typed client
 * speaks HTTP/2 ({@code jobstate.client.http2=true}, docs/client.md "Connections"), where over
 * HTTP/1.1 Open Liberty closes the connection after each 409 (docs/api.md, "Connections after 4xx")
 * and the client opens a new one for nearly every operation. Counted client-side by the proxy the
 * client goes through ({@link CountingProxy}); both runs drive the same workload through the same
 * RESTEasy MicroProfile REST Client, the HTTP/1.1 one only for contrast (and to notice should
 * Liberty ever keep HTTP/1.1 connections after a 409).
 */
class StaleCoordinatorConnectionsIT extends LibertyTest {

    private static final int JOBS = 30;
    private static final List<JobStatus> STALE_TARGETS = List.of(JobStatus.QUEUED, JobStatus.RUNNING);
    private static final int OPERATIONS = JOBS * STALE_TARGETS.size();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.jobstate();
    }

    @Test
    void aStaleCoordinatorKeepsOneHttp2ConnectionAcrossItsConflicts() {
        List<Job> stale = jobsSeenBeforeAnotherCoordinatorCancelledThem();

        int http11 = connectionsOpenedBy(stale, Map.of());
        int http2 = connectionsOpenedBy(stale, Map.of(Http2Transport.ENABLED, "true"));

        System.out.printf("stale coordinator: %d operations, each a 409 -> Superseded; connections opened: HTTP/1.1 (default) %d,"
                + " HTTP/2 (%s=true) %d%n", OPERATIONS, http11, Http2Transport.ENABLED, http2);
        assertThat(http2).as("connections the HTTP/2 client opened for %d conflicts", OPERATIONS).isEqualTo(1);
        assertThat(http11).as("connections over HTTP/1.1, which Liberty closes after each 409 (if this fails, Liberty keeps "
                + "them now: docs/api.md's \"Connections after 4xx\" is out of date)").isGreaterThan(OPERATIONS / 2);
    }

    /** Jobs as a coordinator read them (PENDING), then cancelled by another: every later step of the first is stale. */
    private List<Job> jobsSeenBeforeAnotherCoordinatorCancelledThem() {
        try (ClientContainer other = ClientContainer.start(configuration(base.toString(), Map.of()))) {
            JobCoordinator coordinator = other.coordinator();
            List<Job> seen = IntStream.range(0, JOBS)
                    .mapToObj(i -> coordinator.create(NewJob.ofType("stale"))).toList();
            seen.forEach(job -> assertThat(coordinator.cancel(job.id(), "taken over")).isInstanceOf(OperationResult.Applied.class));
            return seen;
        }
    }

    /** Runs every stale operation once through a fresh client that reaches the server through a counting proxy. */
    private int connectionsOpenedBy(List<Job> stale, Map<String, String> transport) {
        try (CountingProxy proxy = CountingProxy.to(base.getPort());
             ClientContainer client = ClientContainer.start(configuration(
                     "http://127.0.0.1:" + proxy.port() + base.getPath(), transport))) {
            JobCoordinator coordinator = client.coordinator();
            for (Job job : stale) {
                for (JobStatus target : STALE_TARGETS) {
                    OperationResult result = coordinator.apply(Operation.of(job.id(),
                            TransitionRequest.to(target).expecting(job.status(), job.version())));
                    assertThat(result).isInstanceOfSatisfying(OperationResult.Superseded.class,
                            superseded -> assertThat(superseded.currentStatus()).isEqualTo(JobStatus.CANCELLED));
                }
            }
            return proxy.connections();
        }
    }

    private static Map<String, String> configuration(String url, Map<String, String> transport) {
        Map<String, String> properties = new HashMap<>(transport);
        properties.put("jobstate/mp-rest/url", url.replaceFirst("/$", ""));
        properties.put(BearerToken.TOKEN, DevTokens.forRole("coordinator"));
        return properties;
    }
}
