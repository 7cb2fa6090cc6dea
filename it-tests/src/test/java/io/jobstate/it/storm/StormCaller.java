package io.jobstate.it.storm;

import io.jobstate.client.api.Job;
import io.jobstate.client.api.JobStatus;
import io.jobstate.client.api.NewJob;
import io.jobstate.client.api.TransitionRequest;
import io.jobstate.client.coordinator.JobCoordinator;
import io.jobstate.client.coordinator.Operation;
import io.jobstate.client.coordinator.OperationResult;
import io.jobstate.client.problem.ConflictException;
import io.jobstate.client.problem.TransientFailure;
import jakarta.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

/**
 * One caller of a storm: picks a job at random and asks for a weighted random transition — legal or
 * not — half the time stating the state it last saw (often stale), and now and then re-sends an
 * operation that was already applied (a replay). Runs on its own thread, routed to one instance.
 */
final class StormCaller implements Runnable {

    private static final JobStatus[] TARGETS = {JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED,
            JobStatus.COMPLETED, JobStatus.CANCELLED};
    /** Cumulative weights of {@link #TARGETS}: failures and retries (FAILED, QUEUED) keep jobs alive. */
    private static final double[] WEIGHTS = {0.28, 0.56, 0.82, 0.91, 1.0};
    private static final double REPLAY_SHARE = 0.12;

    private record View(JobStatus status, long version) {
    }

    private final JobCoordinator coordinator;
    private final JobSlots slots;
    private final Tally tally;
    private final int operations;
    private final int port;
    private final Random random;
    private final CyclicBarrier start;
    private final Map<UUID, View> seen = new HashMap<>();
    private final List<Operation> applied = new ArrayList<>();

    StormCaller(JobCoordinator coordinator, JobSlots slots, Tally tally, int operations, int port, long seed,
                CyclicBarrier start) {
        this.coordinator = coordinator;
        this.slots = slots;
        this.tally = tally;
        this.operations = operations;
        this.port = port;
        this.random = new Random(seed);
        this.start = start;
    }

    @Override
    public void run() {
        InstanceRouter.route(port);
        await();
        for (int i = 0; i < operations; i++) {
            if (!applied.isEmpty() && random.nextDouble() < REPLAY_SHARE) {
                if (!(apply(applied.get(random.nextInt(applied.size()))) instanceof OperationResult.Applied)) {
                    tally.replaysNotApplied.increment();
                }
                continue;
            }
            int slot = random.nextInt(slots.size());
            UUID id = slots.get(slot);
            View view = seen.get(id);
            if (view != null && view.status().isTerminal()) {
                replaceFinished(slot, id);
                id = slots.get(slot);
                view = seen.get(id);
            }
            apply(Operation.of(id, request(view)));
        }
    }

    private TransitionRequest request(View view) {
        double pick = random.nextDouble();
        int target = 0;
        while (pick > WEIGHTS[target]) {
            target++;
        }
        TransitionRequest request = TransitionRequest.to(TARGETS[target]);
        request = switch (request.to()) {
            case COMPLETED -> request.withResult(Json.createObjectBuilder().add("n", random.nextInt(1000)).build());
            case FAILED -> request.withError("storm failure " + random.nextInt(1000));
            case CANCELLED -> request.withReason("storm");
            default -> request;
        };
        return view != null && random.nextBoolean() ? request.expecting(view.status(), view.version()) : request;
    }

    /** Applies one operation and records what came of it; null when it ended in an exception. */
    private OperationResult apply(Operation operation) {
        try {
            OperationResult result = coordinator.apply(operation);
            switch (result) {
                case OperationResult.Applied done -> {
                    tally.reportedApplied.add(operation);
                    applied.add(operation);
                    remember(done.job());
                }
                case OperationResult.Superseded superseded -> {
                    seen.put(operation.jobId(), new View(superseded.currentStatus(), superseded.currentVersion()));
                }
            }
            return result;
        } catch (ConflictException stillStale) {
            // expectations still stale after the client's bounded rebase rounds: nothing was written
        } catch (TransientFailure | FaultToleranceException unknown) {
            // every retry failed: the operation may or may not have been applied
            tally.unknownOutcome.add(operation);
        }
        return null;
    }

    private void replaceFinished(int slot, UUID finished) {
        try {
            Job fresh = coordinator.create(NewJob.ofType("storm"));
            slots.replace(slot, finished, fresh.id());
        } catch (TransientFailure | FaultToleranceException unknown) {
            // keep the finished job in its slot; a later pick tries again
        }
    }

    private void remember(Job job) {
        View known = seen.get(job.id());
        if (known == null || known.version() < job.version()) {
            seen.put(job.id(), new View(job.status(), job.version()));
        }
    }

    private void await() {
        try {
            start.await();
        } catch (Exception e) {
            throw new IllegalStateException("the storm's start gate broke", e);
        }
    }
}
