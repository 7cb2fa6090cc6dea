package io.jobstate.it.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * An OTLP/HTTP receiver (protobuf encoding) on a free loopback port, in this JVM: what an exporter
 * posts to {@code /v1/traces} is parsed with the protocol's own classes and kept; the other signals
 * are accepted and dropped. Stands in for an OpenTelemetry Collector. Thread-safe.
 */
final class OtlpReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    static OtlpReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        OtlpReceiver receiver = new OtlpReceiver(server);
        server.createContext("/v1/traces", receiver::traces);
        server.createContext("/", exchange -> answer(exchange, 200, new byte[0]));
        server.start();
        return receiver;
    }

    /** The base URL, as {@code OTEL_EXPORTER_OTLP_ENDPOINT} takes it. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every span received so far. */
    List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    Optional<ReceivedSpan> find(Predicate<ReceivedSpan> wanted) {
        return spans.stream().filter(wanted).findFirst();
    }

    private void traces(HttpExchange exchange) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
            for (ResourceSpans resource : request.getResourceSpansList()) {
                Map<String, String> resourceAttributes = strings(resource.getResource().getAttributesList());
                for (ScopeSpans scope : resource.getScopeSpansList()) {
                    for (Span span : scope.getSpansList()) {
                        spans.add(ReceivedSpan.of(span, resourceAttributes));
                    }
                }
            }
            answer(exchange, 200, ExportTraceServiceResponse.getDefaultInstance().toByteArray());
        } catch (IOException | RuntimeException e) {
            answer(exchange, 400, new byte[0]);
        }
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> strings(List<KeyValue> attributes) {
        return attributes.stream().collect(Collectors.toMap(KeyValue::getKey,
                kv -> kv.getValue().hasStringValue() ? kv.getValue().getStringValue()
                        : kv.getValue().hasIntValue() ? Long.toString(kv.getValue().getIntValue()) : kv.getValue().toString().strip(),
                (first, second) -> second));
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** One span as received: ids in lower-case hex (W3C form), attributes as text. */
    record ReceivedSpan(String name, Span.SpanKind kind, String traceId, String spanId, String parentSpanId,
                        Map<String, String> attributes, Map<String, String> resource) {

        static ReceivedSpan of(Span span, Map<String, String> resource) {
            HexFormat hex = HexFormat.of();
            return new ReceivedSpan(span.getName(), span.getKind(), hex.formatHex(span.getTraceId().toByteArray()),
                    hex.formatHex(span.getSpanId().toByteArray()), hex.formatHex(span.getParentSpanId().toByteArray()),
                    strings(span.getAttributesList()), resource);
        }

        String attribute(String key) {
            return attributes.get(key);
        }
    }
}
