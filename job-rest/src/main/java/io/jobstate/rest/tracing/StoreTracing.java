package io.jobstate.rest.tracing;

import io.jobstate.jobs.store.JobStore;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;

/** Puts the store's calls into the traces ({@link TracedJobStore}). */
public final class StoreTracing {

    private StoreTracing() {
    }

    /** {@code store} with a client span per call under the current span, tagged with {@code lockingPath}. */
    public static JobStore traced(JobStore store, Tracer tracer, String lockingPath) {
        return new TracedJobStore(store, tracer, lockingPath);
    }

    /**
     * The trace id of the calling thread's current span, or {@code null} when there is none (tracing
     * off): the caller's trace when it sent a {@code traceparent}, sampled or not.
     */
    public static String currentTraceId() {
        SpanContext context = Span.current().getSpanContext();
        return context.isValid() ? context.getTraceId() : null;
    }
}
