package io.jobstate.it.storm;

import io.jobstate.client.api.TransitionRequest;
import jakarta.annotation.Priority;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A REST client provider (registered through {@code jobstate/mp-rest/providers}) that records
 * every attempt the typed client makes — including the retries it makes on its own — and what
 * came back. Attempts that never got an answer stay recorded with status 0. Tests wait on it for
 * moments in a storm ({@link #when}) instead of sleeping. Thread-safe; one log per JVM, emptied by
 * {@link #reset()}.
 */
@Priority(5000)
public final class ExchangeLog implements ClientRequestFilter, ClientResponseFilter {

    private static final String ATTEMPT = ExchangeLog.class.getName();
    private static final ConcurrentLinkedQueue<Pending> PENDING = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<Exchange> ANSWERED = new ConcurrentLinkedQueue<>();
    private static final AtomicLong SENT = new AtomicLong();
    private static final List<Watch> WATCHES = new ArrayList<>();

    private record Watch(Predicate<Exchange> matches, long count, AtomicLong seen, CompletableFuture<Void> reached) {
    }

    /** An attempt on its way; it becomes an {@link Exchange} when its answer arrives, or stays unanswered. */
    private static final class Pending {
        final Exchange sent;
        volatile boolean answered;

        Pending(Exchange sent) {
            this.sent = sent;
        }
    }

    @Override
    public void filter(ClientRequestContext request) {
        String path = request.getUri().getPath();
        boolean transition = "POST".equals(request.getMethod()) && path.endsWith("/transitions");
        Object entity = request.getEntity();
        Pending pending = new Pending(new Exchange(transition, jobIdIn(path), request.getHeaderString("Idempotency-Key"),
                entity instanceof TransitionRequest t ? t.to() : null, 0, -1, false, request.getUri().getPort()));
        request.setProperty(ATTEMPT, pending);
        PENDING.add(pending);
        SENT.incrementAndGet();
    }

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        Pending pending = (Pending) request.getProperty(ATTEMPT);
        String etag = response.getHeaderString("ETag");
        Exchange sent = pending.sent;
        Exchange answered = new Exchange(sent.transition(), sent.jobId(), sent.key(), sent.requested(), response.getStatus(),
                etag == null ? -1 : Long.parseLong(etag.replace("\"", "").replace("W/", "")),
                "true".equals(response.getHeaderString("Idempotent-Replayed")), sent.port());
        pending.answered = true;
        ANSWERED.add(answered);
        notifyWatches(answered);
    }

    /** Completes once {@code count} answered exchanges matching {@code matches} were recorded from now on. */
    public static CompletableFuture<Void> when(Predicate<Exchange> matches, long count) {
        Watch watch = new Watch(matches, count, new AtomicLong(), new CompletableFuture<>());
        synchronized (WATCHES) {
            WATCHES.add(watch);
        }
        return watch.reached();
    }

    public static void reset() {
        PENDING.clear();
        ANSWERED.clear();
        SENT.set(0);
        synchronized (WATCHES) {
            WATCHES.clear();
        }
    }

    /** Every attempt so far: the answered ones with their answer, the others with status 0. */
    public static List<Exchange> exchanges() {
        List<Exchange> all = new ArrayList<>(ANSWERED);
        PENDING.stream().filter(p -> !p.answered).forEach(p -> all.add(p.sent));
        return all;
    }

    public static long sent() {
        return SENT.get();
    }

    private static void notifyWatches(Exchange exchange) {
        synchronized (WATCHES) {
            for (Watch watch : WATCHES) {
                if (watch.matches().test(exchange) && watch.seen().incrementAndGet() == watch.count()) {
                    watch.reached().complete(null);
                }
            }
        }
    }

    private static String jobIdIn(String path) {
        int jobs = path.indexOf("/api/jobs/");
        if (jobs < 0) {
            return null;
        }
        String rest = path.substring(jobs + "/api/jobs/".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }
}
