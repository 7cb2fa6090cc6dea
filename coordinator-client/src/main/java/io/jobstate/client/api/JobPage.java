package io.jobstate.client.api;

import java.util.List;

/** One page of a job listing, newest first; {@code nextCursor} is null on the last page. */
public record JobPage(List<Job> items, String nextCursor) {
}
