package io.jobstate.persistence.concurrency;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.creation.CreateOutcome;
import io.jobstate.jobs.creation.NewJob;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Creating the jobs a concurrency test races on, and letting their leases expire. */
final class Jobs {

    private Jobs() {
    }

    static List<UUID> pending(JobStore store, int count, String type) {
        List<UUID> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(((CreateOutcome.Created) store.create(NewJob.of(type))).job().id());
        }
        return ids;
    }

    static List<Job> running(JobStore store, int count, String type) {
        List<Job> jobs = new ArrayList<>(count);
        for (UUID id : pending(store, count, type)) {
            jobs.add(((TransitionOutcome.Applied) store.transition(id, TransitionRequest.to(JobStatus.RUNNING))).job());
        }
        return jobs;
    }

    /**
     * Lets the leases of the jobs {@code where} selects expire now (database clock), as time passing
     * would; returns how many it expired.
     */
    static int expireLeases(Connection connection, String where) throws SQLException {
        try (PreparedStatement expire = connection.prepareStatement(
                "UPDATE jobs SET lease_expires_at = clock_timestamp() - interval '1 millisecond' WHERE " + where)) {
            return expire.executeUpdate();
        }
    }
}
