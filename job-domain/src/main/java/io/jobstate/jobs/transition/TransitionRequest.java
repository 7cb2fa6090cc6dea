package io.jobstate.jobs.transition;

import io.jobstate.jobs.IdempotencyKeys;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.RequestFingerprint;
import io.jobstate.jobs.StorableText;
import io.jobstate.jobs.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * A request to move a job to {@code to}. Optional parts are {@code null} when absent:
 * {@code expectedStatus}/{@code expectedVersion} are the caller's stated expectations (stale ones
 * conflict), {@code requiredVersion} is the HTTP {@code If-Match} precondition (a mismatch fails the
 * precondition), {@code idempotencyKey} makes retries replay instead of re-apply. {@code result} is
 * JSON text and only goes with COMPLETED, {@code error} only with FAILED, {@code reason} only with
 * CANCELLED.
 */
public record TransitionRequest(
        JobStatus to,
        JobStatus expectedStatus,
        Long expectedVersion,
        Long requiredVersion,
        String idempotencyKey,
        String result,
        String error,
        String reason) {

    public static final int MAX_ERROR_LENGTH = 4000;
    public static final int MAX_REASON_LENGTH = 1000;

    public static TransitionRequest to(JobStatus to) {
        return new TransitionRequest(to, null, null, null, null, null, null, null);
    }

    public TransitionRequest expectingStatus(JobStatus status) {
        return new TransitionRequest(to, status, expectedVersion, requiredVersion, idempotencyKey, result, error, reason);
    }

    public TransitionRequest expectingVersion(Long version) {
        return new TransitionRequest(to, expectedStatus, version, requiredVersion, idempotencyKey, result, error, reason);
    }

    public TransitionRequest ifMatch(Long version) {
        return new TransitionRequest(to, expectedStatus, expectedVersion, version, idempotencyKey, result, error, reason);
    }

    public TransitionRequest withIdempotencyKey(String key) {
        return new TransitionRequest(to, expectedStatus, expectedVersion, requiredVersion, key, result, error, reason);
    }

    public TransitionRequest withResult(String json) {
        return new TransitionRequest(to, expectedStatus, expectedVersion, requiredVersion, idempotencyKey, json, error, reason);
    }

    public TransitionRequest withError(String message) {
        return new TransitionRequest(to, expectedStatus, expectedVersion, requiredVersion, idempotencyKey, result, message, reason);
    }

    public TransitionRequest withReason(String text) {
        return new TransitionRequest(to, expectedStatus, expectedVersion, requiredVersion, idempotencyKey, result, error, text);
    }

    /** What is wrong with this request on its own, whatever the job's state; empty when valid. */
    public List<Violation> violations() {
        List<Violation> violations = new ArrayList<>();
        if (to == null) {
            violations.add(new Violation("to", "is required"));
        } else if (to == JobStatus.PENDING) {
            violations.add(new Violation("to", "nothing enters PENDING except creation"));
        }
        if (expectedVersion != null && expectedVersion < 0) {
            violations.add(new Violation("expectedVersion", "must not be negative"));
        }
        if (requiredVersion != null && requiredVersion < 0) {
            violations.add(new Violation("If-Match", "must not be negative"));
        }
        IdempotencyKeys.check(idempotencyKey, violations);
        onlyWith("result", result, JobStatus.COMPLETED, violations);
        onlyWith("error", error, JobStatus.FAILED, violations);
        onlyWith("reason", reason, JobStatus.CANCELLED, violations);
        StorableText.check("result", result, violations);
        StorableText.check("error", error, violations);
        StorableText.check("reason", reason, violations);
        atMost("error", error, MAX_ERROR_LENGTH, violations);
        atMost("reason", reason, MAX_REASON_LENGTH, violations);
        return List.copyOf(violations);
    }

    /**
     * What identifies "the same request" for idempotent replays: the body's fields. The key itself
     * and the If-Match header are left out, as a replay is recognised before preconditions.
     */
    public String fingerprint() {
        return RequestFingerprint.of(to, expectedStatus, expectedVersion, result, error, reason);
    }

    private void onlyWith(String field, String value, JobStatus status, List<Violation> violations) {
        if (value != null && to != null && to != status) {
            violations.add(new Violation(field, "is only allowed when moving to " + status));
        }
    }

    private static void atMost(String field, String value, int max, List<Violation> violations) {
        if (value != null && value.length() > max) {
            violations.add(new Violation(field, "must be at most " + max + " characters"));
        }
    }
}
