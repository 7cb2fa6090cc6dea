package io.jobstate.client.fake;

import java.util.UUID;

/**
 * One request as the fake received it, and what it did with it.
 *
 * @param receivedNanos {@link System#nanoTime()} at arrival, to measure gaps between attempts
 * @param status        the answer's status, 0 when the connection was reset instead
 * @param applied       whether this request changed the fake's state (created, transitioned, progressed)
 * @param leaseToken    the request's {@code Lease-Token} header, null when absent
 * @param traceparent   the request's W3C {@code traceparent} header, null when absent
 * @param userAgent     the request's {@code User-Agent} header: which HTTP engine sent it
 */
public record Exchange(Route route, UUID jobId, String idempotencyKey, String authorization, String body,
                       long receivedNanos, int status, boolean applied, String injected, String leaseToken,
                       String traceparent, String userAgent) {
}
