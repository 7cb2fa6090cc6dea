package io.jobstate.jobs.claim;

import io.jobstate.jobs.IdempotencyKeys;
import io.jobstate.jobs.Lease;
import io.jobstate.jobs.RequestFingerprint;
import io.jobstate.jobs.StorableText;
import io.jobstate.jobs.Violation;
import io.jobstate.jobs.creation.NewJob;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A request to claim the next QUEUED job. {@code types} are the job types to take from (empty: any
 * type); {@code leaseSeconds} the lease length asked ({@code null}: {@link Lease#DEFAULT_SECONDS});
 * {@code idempotencyKey} makes a retried claim get the same job and lease; {@code actor} names the
 * caller for the history. Waiting for a job is the caller's business, not the store's.
 */
public record ClaimRequest(List<String> types, Integer leaseSeconds, String idempotencyKey, String actor) {

    /** At most this many types per claim: the statement lists them, and a worker serves a few. */
    public static final int MAX_TYPES = 20;
    /** The history's reason for a claim: what tells a claim from a transition to RUNNING. */
    public static final String REASON = "claimed";

    public ClaimRequest {
        types = types == null ? List.of() : List.copyOf(types);
    }

    public static ClaimRequest anyType() {
        return new ClaimRequest(List.of(), null, null, null);
    }

    public static ClaimRequest of(String... types) {
        return new ClaimRequest(List.of(types), null, null, null);
    }

    public ClaimRequest withIdempotencyKey(String key) {
        return new ClaimRequest(types, leaseSeconds, key, actor);
    }

    public ClaimRequest withLeaseSeconds(Integer seconds) {
        return new ClaimRequest(types, seconds, idempotencyKey, actor);
    }

    public ClaimRequest by(String name) {
        return new ClaimRequest(types, leaseSeconds, idempotencyKey, name);
    }

    /** The lease length a claim grants. */
    public int effectiveLeaseSeconds() {
        return leaseSeconds == null ? Lease.DEFAULT_SECONDS : leaseSeconds;
    }

    /** The types without repeats, in a stable order. */
    public List<String> distinctTypes() {
        return List.copyOf(new TreeSet<>(types));
    }

    /** What is wrong with this request on its own; empty when valid. */
    public List<Violation> violations() {
        List<Violation> violations = new ArrayList<>();
        if (types.size() > MAX_TYPES) {
            violations.add(new Violation("types", "must hold at most " + MAX_TYPES + " types"));
        }
        for (String type : types) {
            if (type == null || type.isBlank()) {
                violations.add(new Violation("types", "must not hold an empty type"));
            } else if (type.length() > NewJob.MAX_TYPE_LENGTH) {
                violations.add(new Violation("types", "must hold types of at most " + NewJob.MAX_TYPE_LENGTH + " characters"));
            } else {
                StorableText.check("types", type, violations);
            }
        }
        if (leaseSeconds != null && (leaseSeconds < Lease.MIN_SECONDS || leaseSeconds > Lease.MAX_SECONDS)) {
            violations.add(new Violation("leaseSeconds", "must be between " + Lease.MIN_SECONDS + " and " + Lease.MAX_SECONDS));
        }
        IdempotencyKeys.check(idempotencyKey, violations);
        return List.copyOf(violations);
    }

    /** What identifies "the same claim" for a replay: the types (as a set) and the lease length asked. */
    public String fingerprint() {
        return RequestFingerprint.of("claim", String.join("\n", distinctTypes()), leaseSeconds);
    }
}
