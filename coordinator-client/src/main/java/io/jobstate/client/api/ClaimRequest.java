package io.jobstate.client.api;

import java.util.List;

/**
 * The body of a claim ({@code POST /api/jobs/claims}): the job types to take from ({@code null}: any),
 * the lease length ({@code null}: the server's default) and how long the server may wait for a job
 * when none is QUEUED ({@code null} or 0: answer at once; at most 30 s, and below the client's read
 * timeout).
 */
public record ClaimRequest(List<String> types, Integer leaseSeconds, Integer waitSeconds) {

    public ClaimRequest {
        types = types == null || types.isEmpty() ? null : List.copyOf(types);
    }

    public static ClaimRequest of(String... types) {
        return new ClaimRequest(List.of(types), null, null);
    }

    public ClaimRequest withLeaseSeconds(Integer seconds) {
        return new ClaimRequest(types, seconds, waitSeconds);
    }

    public ClaimRequest waitingUpTo(Integer seconds) {
        return new ClaimRequest(types, leaseSeconds, seconds);
    }
}
