package io.jobstate.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jobstate.client.api.NewJob;
import io.jobstate.client.auth.BearerToken;
import io.jobstate.client.coordinator.JobCoordinator;
import io.jobstate.client.testing.ClientContainer;
import io.jobstate.client.tracing.ClientTraces;
import io.jobstate.it.deploy.OtlpReceiver.ReceivedSpan;
import io.jobstate.testing.postgres.PostgresExtension;
import io.jobstate.testing.postgres.TestDatabase;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The deployable package with tracing switched on by the standard variables docs/operations.md
 * ("Tracing") names, exporting over OTLP/HTTP to a receiver in this JVM: a transition made inside a
 * caller's trace is a server span of that trace, child of the caller's span, carrying the job, the
 * transition, its outcome and the locking path, with the store call as its child — also when the
 * typed client makes it, whose attempt span is then the server span's parent; a conflict
 * carries its reason; the event the transition caused carries the trace id, in the feed and the
 * streams; background passes that did work are traces of their own.
 */
@ExtendWith(PostgresExtension.class)
class TracedPackageIT {

    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private static Path work;
    private static OtlpReceiver receiver;
    private static PackagedServer server;
    private static TestIssuer issuer;

    @BeforeAll
    static void startThePackageExportingToTheReceiver(TestDatabase database) throws Exception {
        work = PackagedServer.workFolder("jobstate-traced-package-it");
        issuer = TestIssuer.create();
        receiver = OtlpReceiver.start();
        Map<String, String> environment = PackagedServer.environment(database,
                issuer.writePublicKey(work.resolve("issuer-public-key.pem")), work.resolve("extract"));
        environment.putAll(Map.of(
                "OTEL_SDK_DISABLED", "false",
                "OTEL_SERVICE_NAME", "jobstate-traced-it",
                "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "OTEL_METRICS_EXPORTER", "none",
                "OTEL_LOGS_EXPORTER", "none",
                "OTEL_BSP_SCHEDULE_DELAY", "100"));
        server = PackagedServer.start(Path.of(System.getProperty("jobstate.it.package")), environment, work.resolve("console.log"));
    }

    @AfterAll
    static void stopThePackageAndTheReceiver() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
            if (receiver != null) {
                receiver.close();
            }
        } finally {
            PackagedServer.deleteFolder(work);
        }
    }

    @Test
    void aTransitionContinuesTheCallersTraceDownToTheStoreAndItsEventCarriesTheTraceId() throws Exception {
        String coordinator = issuer.token("coordinator");
        String id = json(server.postJson("/api/jobs", coordinator, "{\"type\": \"traced\"}")).getString("id");
        String traceId = hex(16);
        String callerSpan = hex(8);

        HttpResponse<String> started = server.postJson("/api/jobs/" + id + "/transitions", coordinator,
                "{\"to\": \"RUNNING\", \"expectedStatus\": \"PENDING\"}", "00-" + traceId + "-" + callerSpan + "-01");

        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        ReceivedSpan request = awaitSpan("the server span of the transition",
                span -> span.traceId().equals(traceId) && span.kind() == SpanKind.SPAN_KIND_SERVER);
        assertThat(request.parentSpanId()).as("child of the caller's span").isEqualTo(callerSpan);
        assertThat(request.resource()).containsEntry("service.name", "jobstate-traced-it");
        assertThat(request.attributes()).containsEntry("jobstate.job.id", id)
                .containsEntry("jobstate.transition.from", "PENDING")
                .containsEntry("jobstate.transition.to", "RUNNING")
                .containsEntry("jobstate.outcome", "applied")
                .containsEntry("jobstate.locking_path", "cas")
                .containsEntry("http.response.status_code", "200");
        ReceivedSpan store = awaitSpan("the store call under it",
                span -> span.traceId().equals(traceId) && span.parentSpanId().equals(request.spanId()));
        assertThat(store.name()).isEqualTo("jobstate.store transition");
        assertThat(store.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
        assertThat(store.attributes()).containsEntry("db.system.name", "postgresql").containsEntry("jobstate.job.id", id);
        JsonObject event = await("the transition's event in the feed").atMost(DELIVERY).pollInterval(Duration.ofMillis(100))
                .until(() -> eventOf(coordinator, id), Optional::isPresent).orElseThrow();
        assertThat(event.getString("traceId")).isEqualTo(traceId);
        assertThat(firstStreamedEvent(coordinator, id).getString("traceId")).isEqualTo(traceId);
    }

    @Test
    void theTypedClientCarriesItsCallersTraceWithARetryLayerSpanBetween() {
        InMemorySpanExporter clientSpans = InMemorySpanExporter.create();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(clientSpans)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        GlobalOpenTelemetry.resetForTest();
        GlobalOpenTelemetry.set(sdk);
        try (ClientContainer client = ClientContainer.start(Map.of("jobstate/mp-rest/url", server.uri("").toString(),
                BearerToken.TOKEN, issuer.token("coordinator")))) {
            JobCoordinator coordinator = client.coordinator();
            UUID id = coordinator.create(NewJob.ofType("traced")).id();
            Span caller = sdk.getTracer("caller").spanBuilder("caller").startSpan();

            try (Scope ignored = caller.makeCurrent()) {
                coordinator.start(id);
            } finally {
                caller.end();
            }

            String traceId = caller.getSpanContext().getTraceId();
            ReceivedSpan request = awaitSpan("the server span of the client's transition",
                    span -> span.traceId().equals(traceId) && span.kind() == SpanKind.SPAN_KIND_SERVER
                            && "applied".equals(span.attribute("jobstate.outcome")));
            assertThat(request.attributes()).containsEntry("jobstate.job.id", id.toString())
                    .containsEntry("jobstate.transition.to", "RUNNING");
            SpanData attempt = clientSpans.getFinishedSpanItems().stream()
                    .filter(span -> span.getSpanId().equals(request.parentSpanId())).findFirst().orElseThrow();
            assertThat(attempt.getName()).as("the server span's parent").isEqualTo(ClientTraces.ATTEMPT);
            assertThat(attempt.getTraceId()).isEqualTo(traceId);
            awaitSpan("the store call under it", span -> span.parentSpanId().equals(request.spanId()));
        } finally {
            GlobalOpenTelemetry.resetForTest();
            sdk.close();
        }
    }

    @Test
    void aConflictCarriesItsReason() {
        String coordinator = issuer.token("coordinator");
        String id = json(server.postJson("/api/jobs", coordinator, "{\"type\": \"traced\"}")).getString("id");
        String traceId = hex(16);

        HttpResponse<String> refused = server.postJson("/api/jobs/" + id + "/transitions", coordinator,
                "{\"to\": \"COMPLETED\"}", "00-" + traceId + "-" + hex(8) + "-01");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        ReceivedSpan request = awaitSpan("the server span of the refused transition",
                span -> span.traceId().equals(traceId) && span.kind() == SpanKind.SPAN_KIND_SERVER);
        assertThat(request.attributes()).containsEntry("jobstate.outcome", "conflict")
                .containsEntry("jobstate.conflict_reason", json(refused).getString("conflictReason"))
                .containsEntry("jobstate.transition.from", "PENDING")
                .containsEntry("jobstate.transition.to", "COMPLETED");
    }

    @Test
    void backgroundPassesThatDidWorkAreTracesOfTheirOwn() {
        String coordinator = issuer.token("coordinator");
        String id = json(server.postJson("/api/jobs", coordinator, "{\"type\": \"traced\"}")).getString("id");

        HttpResponse<String> running = server.postJson("/api/jobs/" + id + "/transitions", coordinator,
                "{\"to\": \"RUNNING\", \"leaseSeconds\": 1}");

        assertThat(running.statusCode()).as(running.body()).isEqualTo(200);
        ReceivedSpan reaper = awaitSpan("the reaper's pass that failed the job",
                span -> span.name().equals("jobstate.reaper pass"));
        assertThat(reaper.parentSpanId()).as("a root span").isEmpty();
        assertThat(Long.parseLong(reaper.attribute("jobstate.pass.items"))).isPositive();
        ReceivedSpan publisher = awaitSpan("a publisher's pass that numbered events",
                span -> span.name().equals("jobstate.publisher pass"));
        assertThat(publisher.parentSpanId()).as("a root span").isEmpty();
        assertThat(Long.parseLong(publisher.attribute("jobstate.pass.items"))).isPositive();
        assertThat(receiver.spans()).as("passes that found nothing send nothing")
                .filteredOn(span -> span.name().endsWith(" pass"))
                .allSatisfy(span -> assertThat(span.attributes()).doesNotContainEntry("jobstate.pass.items", "0"));
    }

    private static ReceivedSpan awaitSpan(String what, Predicate<ReceivedSpan> wanted) {
        return await(what).atMost(DELIVERY).pollInterval(Duration.ofMillis(100))
                .until(() -> receiver.find(wanted), Optional::isPresent).orElseThrow();
    }

    /** The job's first event in the feed (its transition to version 1), once published. */
    private static Optional<JsonObject> eventOf(String token, String jobId) {
        return json(server.get("/api/events?after=0&limit=1000", token)).getJsonArray("items").getValuesAs(JsonObject.class)
                .stream().filter(event -> event.getString("jobId").equals(jobId) && event.getInt("version") == 1).findFirst();
    }

    /** The data of the first message of the job's event stream, read from its start. */
    private static JsonObject firstStreamedEvent(String token, String jobId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.uri("/api/jobs/" + jobId + "/events/stream"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).build();
        try (Stream<String> lines = PackagedServer.HTTP.send(request, HttpResponse.BodyHandlers.ofLines()).body()) {
            String data = lines.filter(line -> line.startsWith("data:")).findFirst().orElseThrow();
            return Json.createReader(new StringReader(data.substring("data:".length()))).readObject();
        }
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static JsonObject json(HttpResponse<String> answer) {
        return Json.createReader(new StringReader(answer.body())).readObject();
    }
}
