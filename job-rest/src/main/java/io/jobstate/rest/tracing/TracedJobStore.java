package io.jobstate.rest.tracing;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.claim.ClaimOutcome;
import io.jobstate.jobs.claim.ClaimRequest;
import io.jobstate.jobs.counts.StatusCounts;
import io.jobstate.jobs.creation.CreateOutcome;
import io.jobstate.jobs.creation.NewJob;
import io.jobstate.jobs.history.HistoryPage;
import io.jobstate.jobs.history.HistoryQuery;
import io.jobstate.jobs.lease.HeartbeatOutcome;
import io.jobstate.jobs.listing.JobPage;
import io.jobstate.jobs.listing.JobQuery;
import io.jobstate.jobs.progress.ProgressOutcome;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.store.StoreUnavailableException;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A {@link JobStore} whose every call is a client span ("jobstate.store transition" …) under the
 * current span: the database work of a request, with the job, the locking path, and a failure's
 * {@code unavailableReason}. A call made outside any trace starts none (the background passes'
 * calls: {@link BackgroundTraces}). Thread-safe if the store is.
 */
final class TracedJobStore implements JobStore {

    private final JobStore store;
    private final Tracer tracer;
    private final String lockingPath;

    TracedJobStore(JobStore store, Tracer tracer, String lockingPath) {
        this.store = store;
        this.tracer = tracer;
        this.lockingPath = lockingPath.toLowerCase(Locale.ROOT);
    }

    @Override
    public CreateOutcome create(NewJob request) {
        return traced("create", null, () -> store.create(request));
    }

    @Override
    public Optional<Job> find(UUID id) {
        return traced("find", id, () -> store.find(id));
    }

    @Override
    public JobPage list(JobQuery query) {
        return traced("list", null, () -> store.list(query));
    }

    @Override
    public StatusCounts counts() {
        return traced("counts", null, store::counts);
    }

    @Override
    public Optional<HistoryPage> history(UUID id, HistoryQuery query) {
        return traced("history", id, () -> store.history(id, query));
    }

    @Override
    public TransitionOutcome transition(UUID id, TransitionRequest request) {
        return traced("transition", id, () -> store.transition(id, request));
    }

    @Override
    public ClaimOutcome claim(ClaimRequest request) {
        return traced("claim", null, () -> store.claim(request));
    }

    @Override
    public ProgressOutcome reportProgress(UUID id, int progress, String leaseToken) {
        return traced("progress", id, () -> store.reportProgress(id, progress, leaseToken));
    }

    @Override
    public HeartbeatOutcome heartbeat(UUID id, String leaseToken) {
        return traced("heartbeat", id, () -> store.heartbeat(id, leaseToken));
    }

    @Override
    public List<Job> reapExpiredLeases(int limit) {
        return traced("reap", null, () -> store.reapExpiredLeases(limit));
    }

    private <T> T traced(String operation, UUID jobId, Supplier<T> call) {
        if (!Span.current().isRecording()) {
            return call.get();
        }
        Span span = tracer.spanBuilder("jobstate.store " + operation).setSpanKind(SpanKind.CLIENT)
                .setAttribute(TraceAttributes.DB_SYSTEM, "postgresql")
                .setAttribute(TraceAttributes.DB_OPERATION, operation)
                .setAttribute(TraceAttributes.LOCKING_PATH, lockingPath)
                .startSpan();
        if (jobId != null) {
            span.setAttribute(TraceAttributes.JOB_ID, jobId.toString());
        }
        try (Scope ignored = span.makeCurrent()) {
            return call.get();
        } catch (StoreUnavailableException e) {
            span.setAttribute(TraceAttributes.UNAVAILABLE_REASON, e.reason().name());
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.reason().name());
            throw e;
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }
}
