package io.jobstate.persistence.support;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.history.HistoryPage;
import io.jobstate.jobs.history.HistoryQuery;
import io.jobstate.jobs.store.JobStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A job's whole history, read page after page as a client would; empty when the job does not exist. */
public final class Histories {

    private Histories() {
    }

    public static Optional<List<HistoryEntry>> of(JobStore store, UUID id) {
        List<HistoryEntry> entries = new ArrayList<>();
        HistoryQuery query = HistoryQuery.firstPage().withLimit(HistoryQuery.MAX_LIMIT);
        while (true) {
            Optional<HistoryPage> page = store.history(id, query);
            if (page.isEmpty()) {
                return Optional.empty();
            }
            entries.addAll(page.get().entries());
            if (page.get().nextAfter().isEmpty()) {
                return Optional.of(List.copyOf(entries));
            }
            query = query.after(page.get().nextAfter().getAsLong());
        }
    }
}
