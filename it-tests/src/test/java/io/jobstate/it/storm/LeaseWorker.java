package io.jobstate.it.storm;

import io.jobstate.client.api.Job;
import io.jobstate.client.api.JobPage;
import io.jobstate.client.api.JobstateApi;
import io.jobstate.client.api.JobStatus;
import io.jobstate.client.api.NewJob;
import io.jobstate.client.api.TransitionRequest;
import io.jobstate.client.coordinator.JobCoordinator;
import io.jobstate.client.coordinator.LeaseKeeper;
import io.jobstate.client.coordinator.LeasedRun;
import io.jobstate.client.coordinator.Operation;
import io.jobstate.client.coordinator.OperationResult;
import io.jobstate.client.problem.ConflictReason;
import io.jobstate.client.problem.TransientFailure;
import jakarta.json.Json;
import java.time.Duration;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

/**
 * A participant of the lease storm, routed to one server instance. A <em>worker</em> creates jobs and
 * runs each once with a one-second lease: most runs heartbeat while they work; some stall without
 * heartbeats for up to two seconds (often reaped meanwhile) and then try to finish anyway. A
 * <em>rescuer</em> retries FAILED jobs (queue, run again, heartbeating) while the workers are busy, so
 * a stalled worker may come back to a job that already runs again under another lease. All finish
 * through their {@link LeasedRun}, so each presents its own run's token.
 */
final class LeaseWorker implements Runnable {

    static final int LEASE_SECONDS = 1;
    private static final Duration HEARTBEAT = Duration.ofMillis(250);
    private static final int MAX_ATTEMPTS = 3;

    /** What the participants saw, for the summary line. */
    static final class Counts {
        final LongAdder runs = new LongAdder();
        final LongAdder stalls = new LongAdder();
        final LongAdder completed = new LongAdder();
        final LongAdder fencedByLease = new LongAdder();
        final LongAdder fencedAfterReaping = new LongAdder();
        final LongAdder rescues = new LongAdder();
    }

    /** Shared by the participants of one storm. */
    record Stage(JobCoordinator coordinator, JobstateApi api, Tally tally, Queue<UUID> jobs, Counts counts,
                 CyclicBarrier start) {
    }

    private final Stage stage;
    private final int port;
    private final Random random;
    private final int jobCount;
    private final BooleanSupplier workersBusy;

    private LeaseWorker(Stage stage, int port, long seed, int jobCount, BooleanSupplier workersBusy) {
        this.stage = stage;
        this.port = port;
        this.random = new Random(seed);
        this.jobCount = jobCount;
        this.workersBusy = workersBusy;
    }

    static LeaseWorker worker(Stage stage, int port, long seed, int jobCount) {
        return new LeaseWorker(stage, port, seed, jobCount, null);
    }

    static LeaseWorker rescuer(Stage stage, int port, long seed, BooleanSupplier workersBusy) {
        return new LeaseWorker(stage, port, seed, 0, workersBusy);
    }

    @Override
    public void run() {
        InstanceRouter.route(port);
        try {
            stage.start().await();
        } catch (Exception e) {
            throw new IllegalStateException("the storm's start gate broke", e);
        }
        if (workersBusy == null) {
            for (int i = 0; i < jobCount && !Thread.currentThread().isInterrupted(); i++) {
                Job job = stage.coordinator().create(NewJob.ofType("lease-storm"));
                stage.jobs().add(job.id());
                startRun(job.id()).ifPresent(run -> work(run, random.nextDouble() < 0.3));
            }
        } else {
            while (workersBusy.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
                if (!rescueOne()) {
                    pause(100); // nothing failed right now: look again shortly (the rescuer's scan interval)
                }
            }
        }
    }

    /** Retries one FAILED storm job that has attempts left; false when there was none. */
    private boolean rescueOne() {
        JobPage failed;
        try {
            failed = stage.api().list(JobStatus.FAILED, "lease-storm", 50, null);
        } catch (RuntimeException unavailable) {
            return false;
        }
        for (Job job : failed.items()) {
            if (job.attempt() < MAX_ATTEMPTS && apply(Operation.of(job.id(), TransitionRequest.to(JobStatus.QUEUED)
                    .expecting(JobStatus.FAILED, job.version()))) instanceof OperationResult.Applied) {
                stage.counts().rescues.increment();
                startRun(job.id()).ifPresent(run -> work(run, false));
                return true;
            }
        }
        return false;
    }

    private Optional<LeasedRun> startRun(UUID id) {
        Operation start = Operation.of(id, TransitionRequest.to(JobStatus.RUNNING).withLeaseSeconds(LEASE_SECONDS));
        try {
            Optional<LeasedRun> run = stage.coordinator().startRun(start);
            run.ifPresent(r -> {
                stage.tally().reportedApplied.add(start);
                stage.counts().runs.increment();
            });
            return run;
        } catch (TransientFailure | FaultToleranceException unknown) {
            stage.tally().unknownOutcome.add(start);
            return Optional.empty();
        }
    }

    /** The work's duration is the workload (not synchronisation); heartbeats unless the run stalls. */
    private void work(LeasedRun run, boolean stall) {
        if (stall) {
            stage.counts().stalls.increment();
            pause(random.nextInt(2000));
        } else {
            try (LeaseKeeper keeper = run.keepAlive(HEARTBEAT)) {
                pause(random.nextInt(800));
            }
        }
        OperationResult finished = finish(run, random.nextDouble() < 0.85);
        switch (finished) {
            case OperationResult.Applied done when done.job().status() == JobStatus.COMPLETED -> stage.counts().completed.increment();
            case OperationResult.Superseded superseded when superseded.reason() == ConflictReason.LEASE_MISMATCH ->
                    stage.counts().fencedByLease.increment();
            case OperationResult.Superseded superseded -> stage.counts().fencedAfterReaping.increment();
            case null, default -> { /* failed by the worker itself, or unknown: the rescuers see it */ }
        }
    }

    private OperationResult finish(LeasedRun run, boolean success) {
        Operation finish = Operation.of(run.jobId(), success
                ? TransitionRequest.to(JobStatus.COMPLETED).withResult(Json.createObjectBuilder().add("ok", true).build())
                : TransitionRequest.to(JobStatus.FAILED).withError("worker failure"));
        try {
            OperationResult result = run.apply(finish);
            if (result instanceof OperationResult.Applied) {
                stage.tally().reportedApplied.add(finish);
            }
            return result;
        } catch (TransientFailure | FaultToleranceException unknown) {
            stage.tally().unknownOutcome.add(finish);
            return null;
        }
    }

    private OperationResult apply(Operation operation) {
        try {
            OperationResult result = stage.coordinator().apply(operation);
            if (result instanceof OperationResult.Applied) {
                stage.tally().reportedApplied.add(operation);
            }
            return result;
        } catch (TransientFailure | FaultToleranceException unknown) {
            stage.tally().unknownOutcome.add(operation);
            return null;
        }
    }

    private static void pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
