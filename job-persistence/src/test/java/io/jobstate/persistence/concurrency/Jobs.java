package io.jobstate.persistence.concurrency;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.creation.CreateOutcome;
import io.jobstate.jobs.creation.NewJob;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Creating the jobs a concurrency test races on. */
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
}
