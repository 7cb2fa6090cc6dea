package io.jobstate.client.events;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.jobstate.client.problem.JobNotFoundException;
import io.jobstate.client.problem.JobstateException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The subscription against a real HTTP server (WireMock) and the real JAX-RS client: a stream that
 * ends is resumed after the last event received, a repeated event is not delivered twice, and a
 * pruned position (410) ends the subscription through onFailure, and open streams are read on
 * virtual threads, not a platform thread each.
 */
class SubscriptionTest {

    private static final String STREAM = "/api/events/stream";
    private static final UUID JOB = new UUID(0, 42);

    private WireMockServer server;
    private EventStreams streams;

    @BeforeEach
    void start() {
        // a Jetty thread per open stream: enough for the many-subscriptions test's streams at once
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(64));
        server.start();
        streams = EventStreams.at(URI.create(server.baseUrl() + "/"));
    }

    @AfterEach
    void stop() {
        streams.close();
        server.stop();
    }

    @Test
    void aStreamThatEndsIsResumedAfterTheLastEventWithoutRepeatsUntilThePositionIsGone() {
        // first connection: events 1 and 2, then the stream ends (a server restart, a proxy timeout)
        server.stubFor(get(urlPathEqualTo(STREAM)).withHeader("Last-Event-ID", absent())
                .willReturn(sse(event(1, "QUEUED"), event(2, "RUNNING"))));
        // the resumption repeats 2 (as a server may) and brings 3, then ends again
        server.stubFor(get(urlPathEqualTo(STREAM)).withHeader("Last-Event-ID", equalTo("2"))
                .willReturn(sse(event(2, "RUNNING"), event(3, "COMPLETED"))));
        // meanwhile retention pruned past 3
        server.stubFor(get(urlPathEqualTo(STREAM)).withHeader("Last-Event-ID", equalTo("3"))
                .willReturn(aResponse().withStatus(410).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"status\":410,\"title\":\"Gone\",\"prunedThrough\":9}")));
        server.stubFor(get(urlPathEqualTo("/api/events"))
                .willReturn(aResponse().withStatus(410).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"status\":410,\"title\":\"Gone\",\"prunedThrough\":9}")));
        List<JobEvent> received = new CopyOnWriteArrayList<>();
        List<JobstateException> failures = new CopyOnWriteArrayList<>();

        try (Subscription subscription = streams.allJobs(0, new EventHandler() {
            @Override
            public void onEvent(JobEvent event) {
                received.add(event);
            }

            @Override
            public void onFailure(JobstateException failure) {
                failures.add(failure);
            }
        })) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !failures.isEmpty());

            assertThat(received).extracting(JobEvent::seq).containsExactly(1L, 2L, 3L);
            assertThat(received).extracting(JobEvent::version).containsExactly(1L, 2L, 3L);
            assertThat(failures).singleElement().isInstanceOfSatisfying(EventStreamGoneException.class,
                    gone -> assertThat(gone.prunedThrough()).isEqualTo(9));
            assertThat(subscription.isOpen()).isFalse();
            assertThat(subscription.lastSeq()).isEqualTo(3);
            server.verify(getRequestedFor(urlPathEqualTo(STREAM)).withHeader("Last-Event-ID", equalTo("2")));
        }
    }

    @Test
    void aServerStillDeployingTheServiceIsRetriedAndOnlyTheServicesOwn404EndsTheSubscription() {
        String jobStream = "/api/jobs/" + JOB + "/events/stream";
        // Liberty restarting answers its own page before the service is deployed; then the service says no such job
        server.stubFor(get(urlPathEqualTo(jobStream)).inScenario("restart").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("deployed").willReturn(aResponse().withStatus(404).withHeader("Content-Type", "text/html")
                        .withBody("<html><body>Error 404: SRVE0190E: File not found</body></html>")));
        server.stubFor(get(urlPathEqualTo(jobStream)).inScenario("restart").whenScenarioStateIs("deployed")
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"status\":404,\"title\":\"Not Found\"}")));
        server.stubFor(get(urlPathEqualTo("/api/events"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"events\":[],\"lastSeq\":0}")));
        List<JobstateException> failures = new CopyOnWriteArrayList<>();

        try (Subscription subscription = streams.job(JOB, 0, new EventHandler() {
            @Override
            public void onEvent(JobEvent event) {
            }

            @Override
            public void onFailure(JobstateException failure) {
                failures.add(failure);
            }
        })) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !failures.isEmpty());

            assertThat(failures).singleElement().isInstanceOf(JobNotFoundException.class);
            assertThat(subscription.isOpen()).isFalse();
            server.verify(2, getRequestedFor(urlPathEqualTo(jobStream)));
        }
    }

    @Test
    void manySubscriptionsReadTheirStreamsWithoutAPlatformThreadEach() {
        int subscriptions = 16;
        // streams that stay open: two events, dribbled over 4 s, then the end (and a resumption the stubs also answer)
        server.stubFor(get(urlPathEqualTo(STREAM)).willReturn(sse(event(1, "QUEUED"), event(2, "RUNNING"))
                .withChunkedDribbleDelay(2, 4_000)));
        server.stubFor(get(urlPathEqualTo("/api/events"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"events\":[],\"lastSeq\":0}")));
        Map<Integer, List<JobEvent>> received = new ConcurrentHashMap<>();
        List<Subscription> open = new CopyOnWriteArrayList<>();
        try {
            // opened side by side: opening waits for the stream's first bytes, which these streams send late
            try (ExecutorService opening = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < subscriptions; i++) {
                    List<JobEvent> own = new CopyOnWriteArrayList<>();
                    received.put(i, own);
                    opening.submit(() -> open.add(streams.allJobs(0, new EventHandler() {
                        @Override
                        public void onEvent(JobEvent event) {
                            own.add(event);
                        }

                        @Override
                        public void onFailure(JobstateException failure) {
                        }
                    })));
                }
            }
            // every stream has delivered its first chunk and is blocked reading the rest
            await().atMost(Duration.ofSeconds(20)).until(() -> received.values().stream().noneMatch(List::isEmpty));

            assertThat(platformThreadsIn("org.jboss.resteasy.plugins.providers.sse", "io.jobstate.client.events"))
                    .as("platform threads reading or reopening streams").isEmpty();
            await().atMost(Duration.ofSeconds(20)).until(() -> received.values().stream().allMatch(own -> own.size() == 2));
        } finally {
            open.forEach(Subscription::close);
        }
    }

    /** The live platform threads but this one (virtual ones are not listed) with a frame in one of {@code packages}. */
    private static List<String> platformThreadsIn(String... packages) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> thread.getKey() != Thread.currentThread())
                .filter(thread -> Arrays.stream(thread.getValue()).anyMatch(frame ->
                        Arrays.stream(packages).anyMatch(frame.getClassName()::startsWith)))
                .map(thread -> thread.getKey().getName()).toList();
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder sse(String... events) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(String.join("", events));
    }

    private static String event(long seq, String to) {
        String from = switch (to) {
            case "QUEUED" -> "PENDING";
            case "RUNNING" -> "QUEUED";
            default -> "RUNNING";
        };
        return "id: " + seq + "\ndata: {\"seq\":" + seq + ",\"jobId\":\"" + JOB + "\",\"from\":\"" + from + "\",\"to\":\"" + to
                + "\",\"version\":" + seq + ",\"at\":\"2026-11-27T00:00:0" + seq + "Z\"}\n\n";
    }
}
