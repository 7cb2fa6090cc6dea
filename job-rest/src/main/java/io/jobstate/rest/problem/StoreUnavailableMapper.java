package io.jobstate.rest.problem;

import io.jobstate.jobs.store.JobContendedException;
import io.jobstate.jobs.store.StoreUnavailableException;
import io.jobstate.rest.tracing.TransitionSpans;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * 503 with Retry-After for a store that cannot serve now, its {@code unavailableReason} saying why:
 * the database is unreachable ({@code DATABASE}), or which bound on a wait for it ran out — the
 * network ({@code DATABASE_TIMEOUT}), the pool ({@code POOL_WAIT}), a statement
 * ({@code STATEMENT_TIMEOUT}), a row lock or a job that kept changing ({@code LOCK_WAIT}: one busy
 * job, contention rather than an outage). Counted in {@code jobstate_store_unavailable_total{reason}}.
 * Thread-safe.
 */
@Provider
@ApplicationScoped
public class StoreUnavailableMapper implements ExceptionMapper<StoreUnavailableException> {

    private static final Logger LOG = Logger.getLogger(StoreUnavailableMapper.class.getName());

    @Inject
    MetricRegistry registry;

    private final Map<StoreUnavailableException.Reason, Counter> answered = new EnumMap<>(StoreUnavailableException.Reason.class);

    @PostConstruct
    void register() {
        for (StoreUnavailableException.Reason reason : StoreUnavailableException.Reason.values()) {
            answered.put(reason, registry.counter("jobstate_store_unavailable",
                    new Tag("reason", reason.name().toLowerCase(Locale.ROOT))));
        }
    }

    /**
     * Observing the start makes the bean then, so that {@link #register} runs before the first 503 and the
     * counters' rates start from zero.
     */
    void registerAtStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // nothing more: the bean exists now
    }

    @Override
    public Response toResponse(StoreUnavailableException failure) {
        StoreUnavailableException.Reason reason = failure.reason();
        answered.get(reason).inc();
        TransitionSpans.unavailable(reason.name());
        LOG.log(reason == StoreUnavailableException.Reason.LOCK_WAIT ? Level.FINE : Level.WARNING,
                () -> "store unavailable (" + reason + "): " + failure.getMessage());
        return Problem.unavailable(reason.name(), detail(failure)).toResponse();
    }

    private static String detail(StoreUnavailableException failure) {
        return switch (failure.reason()) {
            case DATABASE -> "The job store is unavailable; retry later.";
            case DATABASE_TIMEOUT -> "The database did not answer within the network bound; retry later.";
            case POOL_WAIT -> "No database connection of this server became free in time; retry.";
            case STATEMENT_TIMEOUT -> "The database took longer than the statement bound; retry.";
            case LOCK_WAIT -> failure instanceof JobContendedException
                    ? "The job kept changing under this request; retry."
                    : "Another change of this job holds it; retry.";
        };
    }
}
