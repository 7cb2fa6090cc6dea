package io.jobstate.rest.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A background pass (reaping leases, numbering events, pruning) as a trace of its own: one root
 * span from the pass's start to its end, with {@link TraceAttributes#ITEMS} (how much it did), or
 * the failure. A pass that found nothing to do sends nothing: the reaper and the publisher look
 * several times a second, and an idle instance should not fill the trace store. The span is made
 * when the pass is over, so the pass runs outside any trace: its store calls make no child spans
 * and the events the reaper causes carry no trace id. Thread-safe.
 */
public final class BackgroundTraces {

    private BackgroundTraces() {
    }

    /** Runs {@code pass}, which returns how many items it handled; a trace named {@code name} if it handled any or failed. */
    public static long pass(Tracer tracer, String name, Supplier<Long> pass) {
        long started = epochNanos();
        try {
            long items = pass.get();
            if (items > 0) {
                span(tracer, name, started).setAttribute(TraceAttributes.ITEMS, items).end();
            }
            return items;
        } catch (RuntimeException e) {
            failed(span(tracer, name, started), e);
            throw e;
        }
    }

    /** Runs {@code pass} (one that says no count, and runs seldom) as a trace named {@code name}, always. */
    public static void pass(Tracer tracer, String name, Runnable pass) {
        long started = epochNanos();
        try {
            pass.run();
            span(tracer, name, started).end();
        } catch (RuntimeException e) {
            failed(span(tracer, name, started), e);
            throw e;
        }
    }

    private static void failed(Span span, RuntimeException failure) {
        span.recordException(failure);
        span.setStatus(StatusCode.ERROR);
        span.end();
    }

    private static Span span(Tracer tracer, String name, long startedEpochNanos) {
        return tracer.spanBuilder(name).setNoParent().setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(startedEpochNanos, TimeUnit.NANOSECONDS).startSpan();
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
    }
}
