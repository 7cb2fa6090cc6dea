package io.jobstate.jobs.listing;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.StorableText;
import io.jobstate.jobs.Violation;
import java.util.ArrayList;
import java.util.List;

/** A page request: optional status and type filters, a page size, and where the previous page ended. */
public record JobQuery(JobStatus status, String type, int limit, JobCursor after) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    public static JobQuery firstPage() {
        return new JobQuery(null, null, DEFAULT_LIMIT, null);
    }

    public JobQuery withStatus(JobStatus wanted) {
        return new JobQuery(wanted, type, limit, after);
    }

    public JobQuery withType(String wanted) {
        return new JobQuery(status, wanted, limit, after);
    }

    public JobQuery withLimit(int size) {
        return new JobQuery(status, type, size, after);
    }

    public JobQuery after(JobCursor cursor) {
        return new JobQuery(status, type, limit, cursor);
    }

    public List<Violation> violations() {
        List<Violation> violations = new ArrayList<>();
        if (limit < 1 || limit > MAX_LIMIT) {
            violations.add(new Violation("limit", "must be between 1 and " + MAX_LIMIT));
        }
        StorableText.check("type", type, violations);
        return List.copyOf(violations);
    }
}
