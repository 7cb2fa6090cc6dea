package io.jobstate.jobs.history;

import io.jobstate.jobs.Paging;
import io.jobstate.jobs.Violation;
import java.util.List;

/** A page of a job's history: the entries with a version above {@code after}, at most {@code limit}, oldest first. */
public record HistoryQuery(long after, int limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public static HistoryQuery firstPage() {
        return new HistoryQuery(0, DEFAULT_LIMIT);
    }

    public HistoryQuery after(long version) {
        return new HistoryQuery(version, limit);
    }

    public HistoryQuery withLimit(int size) {
        return new HistoryQuery(after, size);
    }

    public List<Violation> violations() {
        return Paging.violations(after, limit, MAX_LIMIT);
    }
}
