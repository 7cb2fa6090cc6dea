package io.jobstate.rest.jobs;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The entity tags of a job: its version, as {@code "n"}. Reads the two conditional headers as RFC
 * 9110 says: If-Match compares strongly (a weak tag never matches), If-None-Match weakly
 * ({@code W/"3"} matches version 3). Thread-safe (stateless).
 */
final class EntityTags {

    /** A version no job ever has, so a required version that can never match fails the precondition. */
    static final long NEVER = Long.MAX_VALUE;

    /** One entity tag: optional weakness, then the opaque tag in quotes. */
    private static final Pattern TAG = Pattern.compile("\\s*(W/)?\"([^\"]*)\"\\s*");
    /** The tags this service makes: "0", "1", … (not "+1" or "007"). */
    private static final Pattern VERSION = Pattern.compile("0|[1-9][0-9]{0,17}");

    private EntityTags() {
    }

    static String of(long version) {
        return "\"" + version + "\"";
    }

    /**
     * The version If-Match requires: absent or {@code *} require none (null); a strong tag of a
     * version requires it; anything else (weak tags, lists, foreign tags) can never match.
     */
    static Long requiredVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        Matcher tag = TAG.matcher(ifMatch);
        if (tag.matches() && tag.group(1) == null && VERSION.matcher(tag.group(2)).matches()) {
            return Long.parseLong(tag.group(2));
        }
        return NEVER;
    }

    /** Whether If-None-Match names {@code version} (weak comparison) or is {@code *}: then 304. */
    static boolean noneMatchNames(String ifNoneMatch, long version) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        if (ifNoneMatch.strip().equals("*")) {
            return true;
        }
        String wanted = Long.toString(version);
        for (String listed : ifNoneMatch.split(",")) {
            Matcher tag = TAG.matcher(listed);
            if (tag.matches() && tag.group(2).equals(wanted)) {
                return true;
            }
        }
        return false;
    }
}
