package io.jobstate.client.coordinator;

import io.jobstate.client.api.Job;
import io.jobstate.client.api.JobStatus;
import io.jobstate.client.api.TransitionRequest;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * One run of a job, as the worker that started it holds it: the run's lease token travels with every
 * call made through this handle, whatever else this process does with the job meanwhile. A rescuer in
 * the same process that restarts the job gets a new run and a new token; this handle keeps the old
 * one and is fenced off ({@code LEASE_MISMATCH}). Obtained from {@link JobCoordinator#startRun}.
 * Thread-safe (immutable).
 */
public final class LeasedRun {

    private final JobCoordinator coordinator;
    private final Job started;

    LeasedRun(JobCoordinator coordinator, Job started) {
        this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
        this.started = Objects.requireNonNull(started, "started");
        Objects.requireNonNull(started.leaseToken(), "a run has a lease token");
    }

    public UUID jobId() {
        return started.id();
    }

    public String leaseToken() {
        return started.leaseToken();
    }

    /** The job as the RUNNING transition left it (version, lease expiry). */
    public Job started() {
        return started;
    }

    public OperationResult complete(JsonObject result) {
        return finish(TransitionRequest.to(JobStatus.COMPLETED).withResult(result));
    }

    public OperationResult fail(String error) {
        return finish(TransitionRequest.to(JobStatus.FAILED).withError(error));
    }

    public ProgressResult reportProgress(int progress) {
        return coordinator.reportProgress(jobId(), progress, leaseToken());
    }

    /** @throws io.jobstate.client.problem.ConflictException when this run's lease was taken away */
    public Job heartbeat() {
        return coordinator.heartbeat(jobId(), leaseToken());
    }

    /** Heartbeats every {@code every} until closed (see {@link LeaseKeeper}). */
    public LeaseKeeper keepAlive(Duration every) {
        return LeaseKeeper.start(this::heartbeat, every);
    }

    /** Applies {@code operation} (on this run's job; your own key) presenting this run's lease token. */
    public OperationResult apply(Operation operation) {
        if (!operation.jobId().equals(jobId())) {
            throw new IllegalArgumentException("operation " + operation + " is not about this run's job " + jobId());
        }
        return coordinator.apply(operation.withLeaseToken(leaseToken()));
    }

    private OperationResult finish(TransitionRequest request) {
        return apply(Operation.of(jobId(), request));
    }
}
