package io.jobstate.persistence.concurrency;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.claim.ClaimOutcome;
import io.jobstate.jobs.claim.ClaimRequest;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.support.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Queued jobs for the claim tests, and the order in which they were queued as the history records it. */
final class Queue {

    private Queue() {
    }

    /** {@code count} jobs, their types taken in turn from {@code types}, each created and queued in that order. */
    static List<UUID> queued(JobStore store, int count, List<String> types) {
        List<UUID> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            UUID id = Jobs.pending(store, 1, types.get(i % types.size())).getFirst();
            if (!(store.transition(id, TransitionRequest.to(JobStatus.QUEUED)) instanceof TransitionOutcome.Applied)) {
                throw new IllegalStateException("job " + id + " was not queued");
            }
            ids.add(id);
        }
        return ids;
    }

    /** The jobs of {@code ids} in the order they entered QUEUED by their history (time, then id: the tie-break claims use). */
    static List<UUID> queueOrder(Connection connection, List<UUID> ids) throws SQLException {
        return Sql.rows(connection, "SELECT job_id FROM job_history WHERE job_id = ANY (?) AND to_status = 'QUEUED'"
                        + " ORDER BY at, job_id", (Object) ids.toArray(UUID[]::new))
                .stream().map(row -> (UUID) row.getFirst()).toList();
    }

    /** Claims until none is left; the jobs this claimer got, in order. */
    static List<UUID> drain(JobStore store, ClaimRequest request) {
        List<UUID> claimed = new ArrayList<>();
        while (true) {
            switch (store.claim(request)) {
                case ClaimOutcome.Claimed c -> claimed.add(c.job().id());
                case ClaimOutcome.NoneQueued n -> {
                    return claimed;
                }
                case ClaimOutcome other -> throw new AssertionError("a claim without key answered " + other);
            }
        }
    }
}
