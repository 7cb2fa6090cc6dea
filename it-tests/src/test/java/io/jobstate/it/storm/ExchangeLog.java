package io.jobstate.it.storm;

import io.jobstate.client.api.TransitionRequest;
import io.jobstate.client.coordinator.internal.GuardedCalls;
import jakarta.annotation.Priority;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A REST client provider (registered through {@code jobstate/mp-rest/providers}) that records
 * every attempt the typed client makes — including the retries it makes on its own — and what
 * came back. Attempts that never got an answer stay recorded with status 0. Tests wait on it for
 * moments in a storm ({@link #when}) instead of sleeping. Why an attempt got no answer comes from
 * the client's own log of failed attempts ({@link #recordFailures()}), which it writes on the
 * calling thread, as the filters run on it. Thread-safe; one log per JVM, emptied by {@link #reset()}.
 */
@Priority(5000)
public final class ExchangeLog implements ClientRequestFilter, ClientResponseFilter {

    private static final String ATTEMPT = ExchangeLog.class.getName();
    private static final Pattern UNAVAILABLE_REASON = Pattern.compile("\"unavailableReason\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final ConcurrentLinkedQueue<Attempt> ATTEMPTS = new ConcurrentLinkedQueue<>();
    private static final List<Watch> WATCHES = new ArrayList<>();
    /** The attempt each calling thread sent last: the one a failure logged on that thread belongs to. */
    private static final ThreadLocal<Attempt> LAST_SENT = new ThreadLocal<>();
    /** Held here: JUL keeps loggers weakly, and a collected logger would lose the level and handler set on it. */
    private static final Logger CLIENT_RETRIES = Logger.getLogger(GuardedCalls.class.getName());

    private record Watch(Predicate<Exchange> matches, long count, AtomicLong seen, CompletableFuture<Void> reached) {
    }

    /** An attempt: what was sent, then (if an answer arrives) the exchange with its answer. */
    private static final class Attempt {
        volatile Exchange exchange;

        Attempt(Exchange sent) {
            this.exchange = sent;
        }
    }

    @Override
    public void filter(ClientRequestContext request) {
        String path = request.getUri().getPath();
        boolean transition = "POST".equals(request.getMethod()) && path.endsWith("/transitions");
        Object entity = request.getEntity();
        Attempt attempt = new Attempt(new Exchange(transition, jobIdIn(path), request.getHeaderString("Idempotency-Key"),
                entity instanceof TransitionRequest t ? t.to() : null, 0, -1, false, null, request.getUri().getPort(),
                System.nanoTime(), 0, null));
        request.setProperty(ATTEMPT, attempt);
        ATTEMPTS.add(attempt);
        LAST_SENT.set(attempt);
    }

    /** From now on, an attempt that fails without an answer records why (the client logs it at FINE). */
    public static void recordFailures() {
        synchronized (CLIENT_RETRIES) {
            if (Arrays.stream(CLIENT_RETRIES.getHandlers()).noneMatch(FailureNotes.class::isInstance)) {
                FailureNotes notes = new FailureNotes();
                notes.setLevel(Level.FINE);
                CLIENT_RETRIES.addHandler(notes);
                CLIENT_RETRIES.setLevel(Level.FINE);
            }
        }
    }

    /** Notes a failed attempt's cause on the attempt its thread sent last, if that one got no answer. */
    private static final class FailureNotes extends Handler {
        @Override
        public void publish(LogRecord record) {
            Attempt attempt = LAST_SENT.get();
            if (attempt != null && attempt.exchange.status() == 0 && record.getThrown() != null) {
                attempt.exchange = attempt.exchange.failed(causes(record.getThrown()));
            }
        }

        private static String causes(Throwable failure) {
            StringBuilder text = new StringBuilder();
            // every cause, the root last, each message cut short
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                String message = String.valueOf(cause.getMessage());
                text.append(text.isEmpty() ? "" : " <- ").append(cause.getClass().getSimpleName()).append(": ")
                        .append(message, 0, Math.min(120, message.length()));
            }
            return text.toString();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) throws IOException {
        Attempt attempt = (Attempt) request.getProperty(ATTEMPT);
        Exchange answered = attempt.exchange.answered(response.getStatus(), version(response.getHeaderString("ETag")),
                "true".equals(response.getHeaderString("Idempotent-Replayed")), unavailableReason(response));
        attempt.exchange = answered;
        notifyWatches(answered);
    }

    /** A 503's reason, read from its problem body, which is then put back for the client to read. */
    private static String unavailableReason(ClientResponseContext response) throws IOException {
        if (response.getStatus() != 503 || !response.hasEntity()) {
            return null;
        }
        byte[] body = response.getEntityStream().readAllBytes();
        response.setEntityStream(new ByteArrayInputStream(body));
        Matcher reason = UNAVAILABLE_REASON.matcher(new String(body, StandardCharsets.UTF_8));
        return reason.find() ? reason.group(1) : "UNKNOWN";
    }

    /** The ETag as a version; -1 when absent or not one of ours (a failure to record must not fail the call). */
    private static long version(String etag) {
        try {
            return etag == null ? -1 : Long.parseLong(etag.replace("W/", "").replace("\"", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
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
        ATTEMPTS.clear();
        synchronized (WATCHES) {
            WATCHES.forEach(watch -> watch.reached().completeExceptionally(new IllegalStateException("the log was reset")));
            WATCHES.clear();
        }
    }

    /** Every attempt so far: the answered ones with their answer, the others with status 0. */
    public static List<Exchange> exchanges() {
        return ATTEMPTS.stream().map(attempt -> attempt.exchange).toList();
    }

    /** How far a storm got: the exchanges so far by status (0: no answer) and 503 reason, for a storm that did not finish. */
    public static String progress() {
        return exchanges().stream().collect(java.util.stream.Collectors.groupingBy(
                exchange -> exchange.status() + (exchange.unavailableReason() == null ? "" : " " + exchange.unavailableReason()),
                java.util.TreeMap::new, java.util.stream.Collectors.counting())).toString();
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
