package io.jobstate.jobs;

import java.util.List;

/**
 * The rule for every text a client sends that is stored: PostgreSQL text cannot hold the NUL
 * character, so a request carrying one is invalid rather than a database error.
 */
public final class StorableText {

    private StorableText() {
    }

    public static void check(String field, String value, List<Violation> violations) {
        if (value != null && value.indexOf('\u0000') >= 0) {
            violations.add(new Violation(field, "must not contain the NUL character"));
        }
    }
}
