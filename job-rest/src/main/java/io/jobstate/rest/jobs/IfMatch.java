package io.jobstate.rest.jobs;

/**
 * Reads the If-Match header into the version it requires. Absent or {@code *}: no requirement. A
 * strong tag {@code "n"}: version n. Anything else can never match (412).
 */
final class IfMatch {

    /** A version no job ever has, so the precondition fails. */
    static final long NEVER = Long.MAX_VALUE;

    private IfMatch() {
    }

    static Long version(String header) {
        if (header == null || header.isBlank() || header.trim().equals("*")) {
            return null;
        }
        String tag = header.trim();
        // strong comparison: exactly the tags this service makes, "0", "1", … (not "+1" or "007")
        if (tag.matches("\"(0|[1-9][0-9]{0,17})\"")) {
            return Long.parseLong(tag.substring(1, tag.length() - 1));
        }
        return NEVER;
    }
}
