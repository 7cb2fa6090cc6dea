package io.jobstate.rest.jobs;

import io.jobstate.jobs.Lease;
import io.jobstate.jobs.claim.ClaimRequest;
import io.jobstate.rest.claims.ClaimBounds;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Reads a claim from its HTTP parts: the JSON body ({@code types}, {@code leaseSeconds},
 * {@code waitSeconds}, strictly, see {@link JsonRequest}) and the Idempotency-Key header. Every field
 * error is collected into one 400. Thread-safe (stateless).
 *
 * @param request what to claim
 * @param waitFor how long to wait for a job to become QUEUED when none is (zero: answer at once)
 */
record ClaimBody(ClaimRequest request, Duration waitFor) {

    private static final Set<String> MEMBERS = Set.of("types", "leaseSeconds", "waitSeconds");

    /**
     * @param defaultLeaseSeconds the lease length of a claim that names none (configuration)
     * @param actor               who asks, for the history; null when unknown
     */
    static ClaimBody parse(byte[] bytes, String contentType, String key, int defaultLeaseSeconds, String actor) {
        JsonRequest body = JsonRequest.parse(JsonRequest.utf8(bytes, contentType), MEMBERS);
        List<String> types = body.strings("types", ClaimRequest.MAX_TYPES);
        Long asked = body.wholeNumber("leaseSeconds", Lease.MIN_SECONDS, Lease.MAX_SECONDS);
        Long wait = body.wholeNumber("waitSeconds", 0, ClaimBounds.MAX_WAIT_SECONDS);
        ClaimRequest request = new ClaimRequest(types, asked != null ? asked.intValue() : defaultLeaseSeconds, key, actor);
        request.violations().forEach(v -> body.reject(v.field(), v.message()));
        body.requireValid();
        return new ClaimBody(request, Duration.ofSeconds(wait == null ? 0 : wait));
    }
}
