package io.jobstate.jobs.listing;

import io.jobstate.jobs.Job;
import java.util.List;
import java.util.Optional;

/** One page of jobs, newest first, and the cursor of the next page if there may be one. */
public record JobPage(List<Job> items, JobCursor next) {

    public JobPage {
        items = List.copyOf(items);
    }

    public Optional<JobCursor> nextCursor() {
        return Optional.ofNullable(next);
    }
}
