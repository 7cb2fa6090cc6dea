package io.jobstate.jobs.history;

import io.jobstate.jobs.HistoryEntry;
import java.util.List;
import java.util.OptionalLong;

/** One page of a job's history, oldest first; {@code more} when entries follow the last one. */
public record HistoryPage(List<HistoryEntry> entries, boolean more) {

    public HistoryPage {
        entries = List.copyOf(entries);
    }

    /** Where the next page starts (the last entry's version), when there is one. */
    public OptionalLong nextAfter() {
        return more ? OptionalLong.of(entries.getLast().version()) : OptionalLong.empty();
    }
}
