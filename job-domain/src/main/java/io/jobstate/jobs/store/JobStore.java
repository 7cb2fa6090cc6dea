package io.jobstate.jobs.store;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.claim.ClaimOutcome;
import io.jobstate.jobs.claim.ClaimRequest;
import io.jobstate.jobs.counts.StatusCounts;
import io.jobstate.jobs.creation.CreateOutcome;
import io.jobstate.jobs.creation.NewJob;
import io.jobstate.jobs.history.HistoryPage;
import io.jobstate.jobs.history.HistoryQuery;
import io.jobstate.jobs.listing.JobPage;
import io.jobstate.jobs.lease.HeartbeatOutcome;
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

    /**
     * How many jobs are in each status, exactly, and the feed position those numbers reflect, read in
     * one snapshot. Its cost must not grow with the number of jobs, and keeping it must not make
     * transitions wait for one another (no single counter every write updates).
     */
    StatusCounts counts();

    /**
     * One page of the job's applied transitions, oldest first: those after {@code query.after()}, at
     * most {@code query.limit()} ({@code query} must be valid); empty if the job does not exist.
     */
    Optional<HistoryPage> history(UUID id, HistoryQuery query);

    TransitionOutcome transition(UUID id, TransitionRequest request);

    /**
     * Claims the job QUEUED longest among the request's types that no other writer holds at this
     * instant, moving it to RUNNING under a new lease exactly as a transition to RUNNING does (one
     * history entry with the request's actor and reason {@value ClaimRequest#REASON}, one event).
     * Never waits for a row another writer holds and never conflicts: a job taken by a concurrent
     * claim, cancel or transition is passed over for the next. {@code NoneQueued} when none is free.
     * A key already used by a claim replays it (same job, same lease), if its job's history is kept.
     */
    ClaimOutcome claim(ClaimRequest request);

    /** Progress of a RUNNING job, with its lease token; renews the lease. */
    ProgressOutcome reportProgress(UUID id, int progress, String leaseToken);

    /** Renews the lease of a RUNNING job by its length, from now (database clock). */
    HeartbeatOutcome heartbeat(UUID id, String leaseToken);

    /**
     * Moves up to {@code limit} RUNNING jobs whose lease expired to FAILED with error
     * {@value #LEASE_EXPIRED}, each by an atomic compare-and-set (still RUNNING, same lease token,
     * expiry passed), recorded with actor {@link HistoryEntry#REAPER}. Safe to run from any number of
     * processes at once: each expired lease is reaped exactly once. Returns the reaped jobs.
     */
    List<Job> reapExpiredLeases(int limit);

    String LEASE_EXPIRED = "lease expired";
}
