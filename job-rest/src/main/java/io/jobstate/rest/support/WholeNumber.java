package io.jobstate.rest.support;

import io.jobstate.jobs.Violation;
import java.util.List;

/**
 * The one reader of whole numbers the API takes as text (query parameters, {@code Last-Event-ID}):
 * decimal digits with an optional sign, within bounds; anything else is a field error, never a
 * wrap-around or a silent default. The bounds are the ones the OpenAPI document shows (the same
 * constants feed its annotations). Thread-safe (stateless).
 */
public final class WholeNumber {

    private WholeNumber() {
    }

    /**
     * {@code text} as a number in {@code min..max}; {@code absent} when {@code text} is null.
     * Otherwise-invalid text adds a violation for {@code field} and yields {@code absent}.
     */
    public static long parse(String field, String text, long min, long max, long absent, List<Violation> violations) {
        if (text == null) {
            return absent;
        }
        String trimmed = text.strip();
        try {
            long value = Long.parseLong(trimmed);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // not a whole number, or beyond long: the same answer as out of range
        }
        violations.add(new Violation(field, "must be a whole number between " + min + " and " + max));
        return absent;
    }
}
