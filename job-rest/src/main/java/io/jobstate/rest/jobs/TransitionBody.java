package io.jobstate.rest.jobs;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.Lease;
import io.jobstate.jobs.Violation;
import io.jobstate.jobs.transition.TransitionRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a transition request from its HTTP parts: the JSON body (strictly, see {@link JsonRequest})
 * and the If-Match, Idempotency-Key and Lease-Token headers. Every field error is collected into one
 * 400. Thread-safe (stateless).
 */
final class TransitionBody {

    private static final Set<String> MEMBERS = Set.of("to", "expectedStatus", "expectedVersion", "result",
            "error", "reason", "leaseSeconds");

    private TransitionBody() {
    }

    /**
     * @param defaultLeaseSeconds the lease length of a move to RUNNING that names none (configuration)
     * @param actor               who asks, for the history; null when unknown
     */
    static TransitionRequest parse(byte[] bytes, String contentType, String ifMatch, String key, String leaseToken,
                                   int defaultLeaseSeconds, String actor) {
        JsonRequest body = JsonRequest.parse(JsonRequest.utf8(bytes, contentType), MEMBERS);
        List<Violation> statuses = new ArrayList<>();
        JobStatus to = StatusNames.parse("to", body.string("to", true), statuses);
        JobStatus expectedStatus = StatusNames.parse("expectedStatus", body.string("expectedStatus", false), statuses);
        statuses.forEach(v -> body.reject(v.field(), v.message()));
        Long asked = body.wholeNumber("leaseSeconds", Lease.MIN_SECONDS, Lease.MAX_SECONDS);
        // the configured default applies to a move to RUNNING only; the domain refuses a length elsewhere
        Integer leaseSeconds = asked != null ? Integer.valueOf(asked.intValue())
                : to == JobStatus.RUNNING ? Integer.valueOf(defaultLeaseSeconds) : null;
        TransitionRequest request = new TransitionRequest(
                to,
                expectedStatus,
                body.wholeNumber("expectedVersion", 0, Long.MAX_VALUE),
                EntityTags.requiredVersion(ifMatch),
                key,
                body.object("result"),
                body.string("error", false),
                body.string("reason", false),
                leaseToken,
                leaseSeconds,
                actor);
        body.requireValid();
        return request;
    }
}
