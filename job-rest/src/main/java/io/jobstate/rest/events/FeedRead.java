package io.jobstate.rest.events;

import io.jobstate.jobs.events.JobEvent;
import java.util.List;

/**
 * Fired (CDI, synchronously, on the feed's follower thread) for each page of events this instance
 * reads from the feed, whichever instance wrote them: what waiting claims wake on. Observers must be
 * quick: the streams wait for the next page.
 */
public record FeedRead(List<JobEvent> events) {

    public FeedRead {
        events = List.copyOf(events);
    }
}
