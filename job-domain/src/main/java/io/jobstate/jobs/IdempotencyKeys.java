package io.jobstate.jobs;

import java.util.List;

/** The rule every idempotency key obeys: absent, or 1 to 200 characters that are not all blank. */
public final class IdempotencyKeys {

    public static final int MAX_LENGTH = 200;
    public static final String FIELD = "Idempotency-Key";

    private IdempotencyKeys() {
    }

    public static void check(String key, List<Violation> violations) {
        if (key == null) {
            return;
        }
        StorableText.check(FIELD, key, violations);
        if (key.isBlank()) {
            violations.add(new Violation(FIELD, "must not be blank"));
        } else if (key.length() > MAX_LENGTH) {
            violations.add(new Violation(FIELD, "must be at most " + MAX_LENGTH + " characters"));
        }
    }
}
