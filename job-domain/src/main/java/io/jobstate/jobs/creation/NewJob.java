package io.jobstate.jobs.creation;

import io.jobstate.jobs.IdempotencyKeys;
import io.jobstate.jobs.RequestFingerprint;
import io.jobstate.jobs.StorableText;
import io.jobstate.jobs.Violation;
import java.util.ArrayList;
import java.util.List;

/** A request to create a job: its type, an optional JSON payload and an optional idempotency key. */
public record NewJob(String type, String payload, String idempotencyKey) {

    public static final int MAX_TYPE_LENGTH = 100;

    public static NewJob of(String type) {
        return new NewJob(type, null, null);
    }

    public NewJob withPayload(String json) {
        return new NewJob(type, json, idempotencyKey);
    }

    public NewJob withIdempotencyKey(String key) {
        return new NewJob(type, payload, key);
    }

    public List<Violation> violations() {
        List<Violation> violations = new ArrayList<>();
        if (type == null || type.isBlank()) {
            violations.add(new Violation("type", "is required"));
        } else if (type.length() > MAX_TYPE_LENGTH) {
            violations.add(new Violation("type", "must be at most " + MAX_TYPE_LENGTH + " characters"));
        }
        StorableText.check("type", type, violations);
        StorableText.check("payload", payload, violations);
        IdempotencyKeys.check(idempotencyKey, violations);
        return List.copyOf(violations);
    }

    /** Identifies "the same creation request" for replays: type and payload, not the key. */
    public String fingerprint() {
        return RequestFingerprint.of(type, payload);
    }
}
