package io.jobstate.persistence.events;

import io.jobstate.jobs.events.EventLog;
import io.jobstate.jobs.events.EventQuery;
import io.jobstate.jobs.events.EventRead;
import io.jobstate.jobs.events.JobEvent;
import java.util.ArrayList;
import java.util.List;

/** A consumer as the contract tells it to behave: ask for events after the last one seen, remember where the page ended. */
final class FeedConsumer {

    private final EventLog log;
    private final int pageSize;
    private final List<JobEvent> seen = new ArrayList<>();
    private long cursor;

    FeedConsumer(EventLog log, long startAfter, int pageSize) {
        this.log = log;
        this.cursor = startAfter;
        this.pageSize = pageSize;
    }

    /** Reads until a page comes back empty; returns how many events were new. */
    int poll() {
        int before = seen.size();
        while (true) {
            EventRead.Page page = (EventRead.Page) log.read(EventQuery.after(cursor).withLimit(pageSize));
            seen.addAll(page.items());
            cursor = page.lastSeq();
            if (page.items().isEmpty()) {
                return seen.size() - before;
            }
        }
    }

    List<JobEvent> seen() {
        return List.copyOf(seen);
    }
}
