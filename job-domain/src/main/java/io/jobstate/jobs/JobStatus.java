package io.jobstate.jobs;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The six statuses of a job and the one table of legal transitions between them.
 *
 * <p>Nothing enters {@link #PENDING} except creation, a status never transitions to itself,
 * {@link #COMPLETED} and {@link #CANCELLED} absorb, and {@link #FAILED} may only be retried
 * (back to {@link #QUEUED}, which starts a new attempt). Immutable and thread-safe.
 */
public enum JobStatus {
    PENDING,
    QUEUED,
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED;

    /** The statuses this one may move to, in declaration order; empty for terminal statuses. */
    public Set<JobStatus> successors() {
        return switch (this) {
            case PENDING -> Successors.PENDING;
            case QUEUED -> Successors.QUEUED;
            case RUNNING -> Successors.RUNNING;
            case FAILED -> Successors.FAILED;
            case COMPLETED, CANCELLED -> Successors.NONE;
        };
    }

    public boolean canTransitionTo(JobStatus target) {
        return successors().contains(target);
    }

    /** The statuses from which {@code target} may be entered: the rule a single SQL statement checks. */
    public static Set<JobStatus> predecessorsOf(JobStatus target) {
        EnumSet<JobStatus> predecessors = EnumSet.noneOf(JobStatus.class);
        for (JobStatus candidate : values()) {
            if (candidate.canTransitionTo(target)) {
                predecessors.add(candidate);
            }
        }
        return Collections.unmodifiableSet(predecessors);
    }

    /** True when nothing may ever leave this status. */
    public boolean isTerminal() {
        return successors().isEmpty();
    }

    /**
     * True for the statuses a run ends in, which set {@code finishedAt}: COMPLETED, FAILED and CANCELLED.
     * Only these are ever pruned; a FAILED job that is retried is no longer finished.
     */
    public boolean isFinished() {
        return switch (this) {
            case COMPLETED, FAILED, CANCELLED -> true;
            case PENDING, QUEUED, RUNNING -> false;
        };
    }

    /** True for the one transition that starts a new attempt: FAILED to QUEUED. */
    public static boolean isRetry(JobStatus from, JobStatus to) {
        return from == FAILED && to == QUEUED;
    }

    /** Enum constants cannot refer to later constants while they are built, hence this holder. */
    private static final class Successors {
        static final Set<JobStatus> PENDING = of(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.CANCELLED);
        static final Set<JobStatus> QUEUED = of(JobStatus.RUNNING, JobStatus.CANCELLED);
        static final Set<JobStatus> RUNNING = of(JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED);
        static final Set<JobStatus> FAILED = of(JobStatus.QUEUED);
        static final Set<JobStatus> NONE = Collections.unmodifiableSet(EnumSet.noneOf(JobStatus.class));

        private static Set<JobStatus> of(JobStatus first, JobStatus... rest) {
            return Collections.unmodifiableSet(EnumSet.of(first, rest));
        }
    }
}
