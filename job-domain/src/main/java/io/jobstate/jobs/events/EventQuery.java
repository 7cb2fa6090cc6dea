package io.jobstate.jobs.events;

import io.jobstate.jobs.Paging;
import io.jobstate.jobs.Violation;
import java.util.List;
import java.util.UUID;

/** A read of the feed: events with a sequence above {@code after}, at most {@code limit}, of one job or ({@code jobId} null) of all. */
public record EventQuery(long after, int limit, UUID jobId) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public static EventQuery after(long seq) {
        return new EventQuery(seq, DEFAULT_LIMIT, null);
    }

    public EventQuery withLimit(int size) {
        return new EventQuery(after, size, jobId);
    }

    public EventQuery ofJob(UUID id) {
        return new EventQuery(after, limit, id);
    }

    public List<Violation> violations() {
        return Paging.violations(after, limit, MAX_LIMIT);
    }
}
