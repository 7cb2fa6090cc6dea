package io.jobstate.client.tracing;

import java.util.function.Supplier;

/**
 * Spans of the client's work, when the OpenTelemetry API is on the class path; otherwise the work
 * runs as it is. The API is an optional dependency: nothing here loads one of its classes unless it
 * is present ({@link OpenTelemetrySpans} holds every reference). Thread-safe.
 */
public final class ClientTraces {

    /** A guarded call: the request and its retries. */
    public static final String CALL = "jobstate.client call";
    /** One attempt of a guarded call. */
    public static final String ATTEMPT = "jobstate.client attempt";

    private static final boolean API_PRESENT = apiPresent();

    private ClientTraces() {
    }

    /** Runs {@code work} in a new span named {@code name}, child of the current one, and current while it runs. */
    public static <T> T span(String name, Supplier<T> work) {
        return API_PRESENT ? OpenTelemetrySpans.span(name, work) : work.get();
    }

    /** Whether the API is there to propagate with. */
    static boolean enabled() {
        return API_PRESENT;
    }

    private static boolean apiPresent() {
        try {
            Class.forName("io.opentelemetry.api.GlobalOpenTelemetry", false, ClientTraces.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

}
