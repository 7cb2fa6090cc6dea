package io.jobstate.client.coordinator;

import io.jobstate.client.api.Job;
import io.jobstate.client.api.JobStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The lease token of the latest run of each job that this coordinator started, for the id-based
 * conveniences of {@link JobCoordinator}. Bounded two ways, so that a long-running coordinator does
 * not keep a token per job for ever:
 * <ul>
 *   <li>a run is forgotten as soon as any answer shows its job at a version beyond the run's start:
 *       a RUNNING job's version rises only when it leaves RUNNING (completed, failed, cancelled),
 *       so that answer proves the run over, whatever came after it. Versions make this safe
 *       against answers that arrive late: one from before the start never forgets the run, and a
 *       replayed start of an earlier run never replaces a later one;</li>
 *   <li>beyond {@code capacity} runs, the least recently used is forgotten (its id-based completion
 *       then goes without a token and is refused; a {@link LeasedRun} keeps its own).</li>
 * </ul>
 * Thread-safe: one lock around an access-ordered map (a read reorders it, so reads lock too).
 */
final class HeldLeases {

    private record Run(String token, long startedVersion) {
    }

    private final Map<UUID, Run> runs;

    HeldLeases(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("at least one lease must be held, not " + capacity);
        }
        this.runs = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Run> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The token of the run of {@code jobId} held here, null when none is. */
    synchronized String token(UUID jobId) {
        Run run = runs.get(jobId);
        return run == null ? null : run.token();
    }

    /**
     * The answer to a transition this coordinator applied: a RUNNING job with a token is a run it
     * started (held unless a later run already is); any other answer is {@link #seen(Job) seen}.
     */
    synchronized void applied(Job job) {
        if (job.status() == JobStatus.RUNNING && job.leaseToken() != null) {
            Run held = runs.get(job.id());
            if (held == null || held.startedVersion() < job.version()) {
                runs.put(job.id(), new Run(job.leaseToken(), job.version()));
            }
        } else {
            seen(job.id(), job.version());
        }
    }

    /** Any answer showing the job: forgets the run held when the job has moved past it. */
    synchronized void seen(Job job) {
        seen(job.id(), job.version());
    }

    /** An answer showing the job at {@code version} (a conflict's current version; negative when unknown). */
    synchronized void seen(UUID jobId, long version) {
        Run held = runs.get(jobId);
        if (held != null && version > held.startedVersion()) {
            runs.remove(jobId);
        }
    }

    synchronized int size() {
        return runs.size();
    }
}
