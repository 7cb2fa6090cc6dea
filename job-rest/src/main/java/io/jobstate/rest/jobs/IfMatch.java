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
        if (tag.length() > 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            try {
                long version = Long.parseLong(tag.substring(1, tag.length() - 1));
                return version >= 0 ? version : NEVER;
            } catch (NumberFormatException e) {
                return NEVER;
            }
        }
        return NEVER;
    }
}
