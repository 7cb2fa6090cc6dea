package io.jobstate.jobs.transition;

import io.jobstate.jobs.IdempotencyKeys;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.Lease;
import io.jobstate.jobs.RequestFingerprint;
import io.jobstate.jobs.StorableText;
import io.jobstate.jobs.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A request to move a job to {@code to}. Optional parts are {@code null} when absent:
 * {@code expectedStatus}/{@code expectedVersion} are the caller's stated expectations (stale ones
 * conflict), {@code requiredVersion} is the HTTP {@code If-Match} precondition (a mismatch fails the
 * precondition), {@code idempotencyKey} makes retries replay instead of re-apply. {@code result} is
 * JSON text and only goes with COMPLETED, {@code error} only with FAILED, {@code reason} only with
 * CANCELLED. {@code leaseToken} is the {@code Lease-Token} presented (completing or failing a RUNNING
 * job needs the current one); {@code leaseSeconds} asks a lease length when moving to RUNNING
 * ({@code null}: {@link Lease#DEFAULT_SECONDS}); {@code actor} names the caller for the history.
 * Neither of the three is part of the {@link #fingerprint()}: they are not what the request asks for.
 */
public record TransitionRequest(
        JobStatus to,
        JobStatus expectedStatus,
        Long expectedVersion,
        Long requiredVersion,
        String idempotencyKey,
        String result,
        String error,
        String reason,
        String leaseToken,
        Integer leaseSeconds,
        String actor) {

    public static final int MAX_ERROR_LENGTH = 4000;
    public static final int MAX_REASON_LENGTH = 1000;

    /** A request without lease token, lease length or actor. */
    public TransitionRequest(JobStatus to, JobStatus expectedStatus, Long expectedVersion, Long requiredVersion,
                             String idempotencyKey, String result, String error, String reason) {
        this(to, expectedStatus, expectedVersion, requiredVersion, idempotencyKey, result, error, reason, null, null, null);
    }

    public static TransitionRequest to(JobStatus to) {
        return new TransitionRequest(to, null, null, null, null, null, null, null);
    }

    public TransitionRequest withLeaseToken(String token) {
        return changed(draft -> draft.leaseToken = token);
    }

    public TransitionRequest withLeaseSeconds(Integer seconds) {
        return changed(draft -> draft.leaseSeconds = seconds);
    }

    public TransitionRequest by(String name) {
        return changed(draft -> draft.actor = name);
    }

    /** The lease length a move to RUNNING grants. */
    public int effectiveLeaseSeconds() {
        return leaseSeconds == null ? Lease.DEFAULT_SECONDS : leaseSeconds;
    }

    public TransitionRequest expectingStatus(JobStatus status) {
        return changed(draft -> draft.expectedStatus = status);
    }

    public TransitionRequest expectingVersion(Long version) {
        return changed(draft -> draft.expectedVersion = version);
    }

    public TransitionRequest ifMatch(Long version) {
        return changed(draft -> draft.requiredVersion = version);
    }

    public TransitionRequest withIdempotencyKey(String key) {
        return changed(draft -> draft.idempotencyKey = key);
    }

    public TransitionRequest withResult(String json) {
        return changed(draft -> draft.result = json);
    }

    public TransitionRequest withError(String message) {
        return changed(draft -> draft.error = message);
    }

    public TransitionRequest withReason(String text) {
        return changed(draft -> draft.reason = text);
    }

    /** This request with {@code change} applied to a copy of its fields. */
    private TransitionRequest changed(Consumer<Draft> change) {
        Draft draft = new Draft(this);
        change.accept(draft);
        return draft.request();
    }

    /** The fields of a request while one is being changed. Not thread-safe; lives inside one {@link #changed} call. */
    private static final class Draft {
        private final JobStatus to;
        private JobStatus expectedStatus;
        private Long expectedVersion;
        private Long requiredVersion;
        private String idempotencyKey;
        private String result;
        private String error;
        private String reason;
        private String leaseToken;
        private Integer leaseSeconds;
        private String actor;

        Draft(TransitionRequest request) {
            to = request.to;
            expectedStatus = request.expectedStatus;
            expectedVersion = request.expectedVersion;
            requiredVersion = request.requiredVersion;
            idempotencyKey = request.idempotencyKey;
            result = request.result;
            error = request.error;
            reason = request.reason;
            leaseToken = request.leaseToken;
            leaseSeconds = request.leaseSeconds;
            actor = request.actor;
        }

        TransitionRequest request() {
            return new TransitionRequest(to, expectedStatus, expectedVersion, requiredVersion, idempotencyKey, result,
                    error, reason, leaseToken, leaseSeconds, actor);
        }
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
        Lease.checkPresented(leaseToken, false, violations);
        if (leaseSeconds != null) {
            if (to != null && to != JobStatus.RUNNING) {
                violations.add(new Violation("leaseSeconds", "is only allowed when moving to RUNNING"));
            } else if (leaseSeconds < Lease.MIN_SECONDS || leaseSeconds > Lease.MAX_SECONDS) {
                violations.add(new Violation("leaseSeconds", "must be between " + Lease.MIN_SECONDS + " and " + Lease.MAX_SECONDS));
            }
        }
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
