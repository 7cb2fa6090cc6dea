package io.jobstate.jobs.store;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.creation.CreateOutcome;
import io.jobstate.jobs.creation.NewJob;
import io.jobstate.jobs.listing.JobPage;
import io.jobstate.jobs.listing.JobQuery;
import io.jobstate.jobs.progress.ProgressOutcome;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Durable storage of jobs with atomic transitions. Implementations must be safe for any number of
 * concurrent callers in any number of processes: every transition is decided against the job as it
 * is at the instant of its write, appends exactly one history entry and one event, and writes
 * nothing when the outcome is not {@code Applied}/{@code Created}/{@code Updated}.
 *
 * <p>Expected results are outcome values. Infrastructure failures (database unreachable) surface as
 * {@link StoreUnavailableException}.
 */
public interface JobStore {

    CreateOutcome create(NewJob request);

    Optional<Job> find(UUID id);

    /** {@code query} must be valid (see {@link JobQuery#violations()}). */
    JobPage list(JobQuery query);

    /** All applied transitions of the job, oldest first; empty if the job does not exist. */
    Optional<List<HistoryEntry>> history(UUID id);

    TransitionOutcome transition(UUID id, TransitionRequest request);

    ProgressOutcome reportProgress(UUID id, int progress);
}
