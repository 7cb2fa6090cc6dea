package io.jobstate.jobs.events;

import java.util.List;

/** What a read of the feed found. */
public sealed interface EventRead {

    /**
     * Events in sequence order (no gaps between them in the all-jobs feed). {@code lastSeq} is where
     * to resume: the last item's sequence, or the query's {@code after} when there was nothing new.
     */
    record Page(List<JobEvent> items, long lastSeq) implements EventRead {

        public Page {
            items = List.copyOf(items);
        }
    }

    /** The position asked for was pruned by retention: events after it up to {@code prunedThrough} are gone. */
    record Gone(long after, long prunedThrough) implements EventRead {
    }
}
