package io.jobstate.client.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.client.fake.Exchange;
import io.jobstate.client.fake.Fault;
import io.jobstate.client.fake.Route;
import io.jobstate.client.tracing.ClientTraces;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * In a plain Java process with an OpenTelemetry SDK registered: every request carries the caller's
 * trace context, and a guarded call and each of its attempts are spans of the caller's trace.
 */
class TracingTest extends ClientTest {

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private OpenTelemetrySdk sdk;

    @BeforeEach
    void registerAnSdk() {
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        GlobalOpenTelemetry.resetForTest();
        GlobalOpenTelemetry.set(sdk);
    }

    @AfterEach
    void unregisterIt() {
        GlobalOpenTelemetry.resetForTest();
        sdk.close();
    }

    @Test
    void retriesAreAttemptSpansOfTheCallersTraceAndEachRequestCarriesItsOwn() {
        UUID id = fake().givenJob().id();
        fake().inject(Route.TRANSITION, 2, Fault.unavailable());
        Span caller = sdk.getTracer("test").spanBuilder("caller").startSpan();

        try (Scope ignored = caller.makeCurrent()) {
            coordinator().start(id);
        } finally {
            caller.end();
        }

        String traceId = caller.getSpanContext().getTraceId();
        List<Exchange> requests = fake().exchanges(Route.TRANSITION);
        assertThat(requests).extracting(Exchange::status).containsExactly(503, 503, 200);
        List<SpanData> spans = exported.getFinishedSpanItems();
        assertThat(spans).allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(traceId));
        // each request names its own attempt's span as its parent
        List<String> parents = requests.stream().map(request -> parentOf(request.traceparent(), traceId)).toList();
        assertThat(parents).doesNotHaveDuplicates();
        List<SpanData> attempts = parents.stream().map(parent -> spanWithId(spans, parent)).toList();
        assertThat(attempts).extracting(SpanData::getName).containsOnly(ClientTraces.ATTEMPT);
        assertThat(attempts).extracting(SpanData::getParentSpanId).as("one guarded call").containsOnly(attempts.getFirst().getParentSpanId());
        SpanData call = spanWithId(spans, attempts.getFirst().getParentSpanId());
        assertThat(call.getName()).isEqualTo(ClientTraces.CALL);
        assertThat(call.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
    }

    @Test
    void withoutACallersSpanTheRetriesStillShareOneTrace() {
        UUID id = fake().givenJob().id();
        fake().inject(Route.TRANSITION, 1, Fault.unavailable());

        coordinator().start(id);

        List<Exchange> requests = fake().exchanges(Route.TRANSITION);
        assertThat(requests).hasSize(2);
        String traceId = requests.getFirst().traceparent().split("-")[1];
        assertThat(requests).allSatisfy(request -> assertThat(request.traceparent()).startsWith("00-" + traceId + "-"));
    }

    private static String parentOf(String traceparent, String traceId) {
        assertThat(traceparent).as("sampled").matches("00-" + traceId + "-[0-9a-f]{16}-0[13]");
        return traceparent.split("-")[2];
    }

    private static SpanData spanWithId(List<SpanData> spans, String spanId) {
        return spans.stream().filter(span -> span.getSpanId().equals(spanId)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + spanId + " among " + spans));
    }
}
