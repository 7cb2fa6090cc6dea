package io.jobstate.jobs;

import java.util.List;

/**
 * The rule for every text a client sends that is stored: PostgreSQL text cannot hold the NUL
 * character, and a lone UTF-16 surrogate is no character at all (the driver would silently turn it
 * into '?', so two different keys could collide). Such a request is invalid.
 */
public final class StorableText {

    private StorableText() {
    }

    public static void check(String field, String value, List<Violation> violations) {
        if (value == null) {
            return;
        }
        if (value.indexOf('\u0000') >= 0) {
            violations.add(new Violation(field, "must not contain the NUL character"));
        } else if (hasLoneSurrogate(value)) {
            violations.add(new Violation(field, "must be valid Unicode (a lone surrogate was found)"));
        }
    }

    private static boolean hasLoneSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
