package io.jobstate.client.tracing;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;

/**
 * Sends the current trace context with every request ({@code traceparent}, and whatever else the
 * registered propagators write), unless a header of the runtime's own instrumentation is already
 * there. Does nothing without the OpenTelemetry API. Thread-safe (stateless).
 */
public final class TraceContextFilter implements ClientRequestFilter {

    @Override
    public void filter(ClientRequestContext request) {
        if (ClientTraces.enabled() && !request.getHeaders().containsKey("traceparent")) {
            OpenTelemetrySpans.inject(request.getHeaders());
        }
    }
}
