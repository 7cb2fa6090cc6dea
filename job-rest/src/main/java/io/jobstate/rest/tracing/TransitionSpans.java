package io.jobstate.rest.tracing;

import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import io.opentelemetry.api.trace.Span;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes what a transition request came to onto the request's server span: the job, from → to, the
 * outcome with its reason, and the locking path that served it. Thread-safe (stateless).
 */
@ApplicationScoped
public class TransitionSpans {

    @Inject
    @ConfigProperty(name = "jobstate.locking", defaultValue = "cas")
    String locking;

    public void record(UUID jobId, TransitionRequest request, TransitionOutcome outcome) {
        Span span = Span.current();
        if (!span.isRecording()) {
            return;
        }
        span.setAttribute(TraceAttributes.JOB_ID, jobId.toString());
        span.setAttribute(TraceAttributes.TO, request.to().name());
        span.setAttribute(TraceAttributes.LOCKING_PATH, locking.toLowerCase(Locale.ROOT));
        switch (outcome) {
            case TransitionOutcome.Applied done -> {
                span.setAttribute(TraceAttributes.FROM, done.from().name());
                span.setAttribute(TraceAttributes.OUTCOME, "applied");
            }
            case TransitionOutcome.Replayed replayed -> span.setAttribute(TraceAttributes.OUTCOME, "replayed");
            case TransitionOutcome.Conflict conflict -> {
                span.setAttribute(TraceAttributes.FROM, conflict.current().status().name());
                span.setAttribute(TraceAttributes.OUTCOME, "conflict");
                span.setAttribute(TraceAttributes.CONFLICT_REASON, conflict.reason().name());
            }
            case TransitionOutcome.PreconditionFailed failed -> {
                span.setAttribute(TraceAttributes.FROM, failed.current().status().name());
                span.setAttribute(TraceAttributes.OUTCOME, "precondition_failed");
            }
            case TransitionOutcome.NotFound notFound -> span.setAttribute(TraceAttributes.OUTCOME, "not_found");
            case TransitionOutcome.Invalid invalid -> span.setAttribute(TraceAttributes.OUTCOME, "invalid");
            case TransitionOutcome.LockTimedOut timedOut -> unavailable("LOCK_WAIT");
        }
    }

    /** A request the store could not serve (503), with its {@code unavailableReason}. */
    public static void unavailable(String reason) {
        Span span = Span.current();
        span.setAttribute(TraceAttributes.OUTCOME, "unavailable");
        span.setAttribute(TraceAttributes.UNAVAILABLE_REASON, reason);
    }
}
