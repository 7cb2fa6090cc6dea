package io.jobstate.jobs;

import java.util.ArrayList;
import java.util.List;

/**
 * The one rule of the "after a position, at most a limit" pages (the event feed, a job's history):
 * {@code after} is 0 or more, {@code limit} between 1 and the page's maximum. Thread-safe (stateless).
 */
public final class Paging {

    private Paging() {
    }

    /** What is wrong with a page request, by field ({@code after}, {@code limit}); empty when nothing is. */
    public static List<Violation> violations(long after, int limit, int maxLimit) {
        List<Violation> violations = new ArrayList<>();
        if (after < 0) {
            violations.add(new Violation("after", "must be 0 or more"));
        }
        if (limit < 1 || limit > maxLimit) {
            violations.add(new Violation("limit", "must be between 1 and " + maxLimit));
        }
        return List.copyOf(violations);
    }
}
