/**
 * The client's part of a trace: the caller's trace context goes with every request (W3C
 * {@code traceparent}), and each guarded call and each of its attempts is a span of the caller's
 * trace, so that retries show as spans of one trace. Works with the OpenTelemetry API on the class
 * path (an application's SDK or agent registered as {@code GlobalOpenTelemetry}); without it, it
 * does nothing. Inside Open Liberty with MicroProfile Telemetry the server's own REST client
 * instrumentation also propagates the context.
 */
package io.jobstate.client.tracing;
