package io.jobstate.client.tracing;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.function.Supplier;

/**
 * Every use of the OpenTelemetry API. The instance is the container's {@code OpenTelemetry} bean
 * when there is one (MicroProfile Telemetry, e.g. in Open Liberty, which answers
 * {@code GlobalOpenTelemetry} with a no-op and a warning), else {@code GlobalOpenTelemetry} (the
 * application's SDK or agent; a no-op until one is registered). Loaded only when the API is present
 * ({@link ClientTraces}). Thread-safe.
 */
final class OpenTelemetrySpans {

    private static final String SCOPE = "io.jobstate.coordinator-client";

    /** The container's bean once found; never the global one, which a process may register later. */
    private static volatile OpenTelemetry containers;

    private OpenTelemetrySpans() {
    }

    static <T> T span(String name, Supplier<T> work) {
        Span span = openTelemetry().getTracer(SCOPE).spanBuilder(name).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            return work.get();
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }

    private static OpenTelemetry openTelemetry() {
        OpenTelemetry found = containers;
        if (found != null) {
            return found;
        }
        try {
            Instance<OpenTelemetry> bean = CDI.current().select(OpenTelemetry.class);
            if (bean.isResolvable()) {
                containers = bean.get();
                return containers;
            }
        } catch (IllegalStateException e) {
            // no CDI container around this call
        }
        return GlobalOpenTelemetry.get();
    }

    /** Writes the current context into {@code headers} with the registered propagators (W3C by default). */
    static void inject(MultivaluedMap<String, Object> headers) {
        openTelemetry().getPropagators().getTextMapPropagator()
                .inject(Context.current(), headers, (carrier, key, value) -> carrier.putSingle(key, value));
    }
}
