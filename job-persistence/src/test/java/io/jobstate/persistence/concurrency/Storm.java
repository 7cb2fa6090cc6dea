package io.jobstate.persistence.concurrency;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Many threads sending random transition requests to a store at once, released together by a start
 * gate, recording every request and what came back. The mix keeps jobs alive (retries are likely,
 * terminal statuses rare) and includes requests that are illegal, that carry stale expectations
 * from an earlier read, and that repeat an idempotency key with the same or a different body.
 */
final class Storm {

    private static final JobStatus[] TARGETS = {
            JobStatus.QUEUED, JobStatus.QUEUED, JobStatus.QUEUED,
            JobStatus.RUNNING, JobStatus.RUNNING, JobStatus.RUNNING, JobStatus.RUNNING,
            JobStatus.FAILED, JobStatus.FAILED, JobStatus.FAILED,
            JobStatus.COMPLETED, JobStatus.CANCELLED};
    private static final double TERMINAL_SHARE = 0.03;

    private final JobStore store;
    private final List<UUID> jobs;
    private final int threads;
    private final int requests;
    private final long seed;

    Storm(JobStore store, List<UUID> jobs, int threads, int requests, long seed) {
        this.store = store;
        this.jobs = List.copyOf(jobs);
        this.threads = threads;
        this.requests = requests;
        this.seed = seed;
    }

    List<Recorded> run() throws Exception {
        List<Recorded> recorded = Collections.synchronizedList(new ArrayList<>(requests));
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                SplittableRandom random = new SplittableRandom(seed + t);
                int share = requests / threads + (t < requests % threads ? 1 : 0);
                workers.add(pool.submit(() -> {
                    gate.await();
                    for (int i = 0; i < share; i++) {
                        recorded.add(send(random));
                    }
                    return null;
                }));
            }
            gate.countDown();
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return List.copyOf(recorded);
    }

    private Recorded send(SplittableRandom random) {
        UUID id = jobs.get(random.nextInt(jobs.size()));
        TransitionRequest request;
        try {
            request = request(id, random);
        } catch (RuntimeException e) {
            return Recorded.failed(id, null, e);
        }
        try {
            return Recorded.of(id, request, store.transition(id, request));
        } catch (RuntimeException e) {
            return Recorded.failed(id, request, e);
        }
    }

    private TransitionRequest request(UUID id, SplittableRandom random) {
        JobStatus to = random.nextDouble() < TERMINAL_SHARE
                ? (random.nextBoolean() ? JobStatus.COMPLETED : JobStatus.CANCELLED)
                : TARGETS[random.nextInt(TARGETS.length - 2)];
        TransitionRequest request = TransitionRequest.to(to);
        double expectation = random.nextDouble();
        if (expectation < 0.3) {
            // read, then act on the read: stale whenever another thread moves the job in between
            Optional<Job> seen = store.find(id);
            if (seen.isPresent()) {
                request = random.nextBoolean()
                        ? request.expectingStatus(seen.get().status())
                        : request.expectingVersion(seen.get().version());
            }
        } else if (expectation < 0.4) {
            request = request.ifMatch((long) random.nextInt(6));
        } else if (expectation < 0.5) {
            request = request.expectingStatus(JobStatus.values()[random.nextInt(JobStatus.values().length)]);
        }
        if (to == JobStatus.COMPLETED || to == JobStatus.FAILED) {
            // a worker finishing: with the lease token of the run it saw (stale whenever the job moved on),
            // or now and then with a token of no run at all
            Optional<Job> seen = store.find(id);
            request = random.nextDouble() < 0.1 || seen.isEmpty() || seen.get().lease() == null
                    ? request.withLeaseToken("no-run-" + random.nextInt(2))
                    : request.withLeaseToken(seen.get().lease().token());
        }
        if (random.nextDouble() < 0.4) {
            // a small key space per target: keys repeat, mostly with the same body, sometimes not
            request = request.withIdempotencyKey(to.name().toLowerCase() + "-" + random.nextInt(3));
        }
        return switch (to) {
            case COMPLETED -> request.withResult("{\"artifact\": \"a-" + random.nextInt(2) + "\"}");
            case FAILED -> request.withError("exit " + random.nextInt(2));
            case CANCELLED -> request.withReason("operator");
            default -> request;
        };
    }

    /** One line a reader can check the load by. */
    static String summary(String name, List<Recorded> recorded, List<String> violations) {
        long applied = count(recorded, TransitionOutcome.Applied.class);
        long conflicts = count(recorded, TransitionOutcome.Conflict.class);
        long replays = count(recorded, TransitionOutcome.Replayed.class);
        long preconditions = count(recorded, TransitionOutcome.PreconditionFailed.class);
        long timeouts = count(recorded, TransitionOutcome.LockTimedOut.class);
        long failures = recorded.stream().filter(r -> r.failure() != null).count();
        return String.format("%s: requests=%d applied=%d conflicts=%d replays=%d preconditionFailed=%d "
                        + "lockTimeouts=%d exceptions=%d checker=%s", name, recorded.size(), applied, conflicts, replays,
                preconditions, timeouts, failures,
                violations.isEmpty() ? "PASS" : "FAIL(" + violations.size() + ")");
    }

    private static long count(List<Recorded> recorded, Class<?> type) {
        return recorded.stream().filter(r -> type.isInstance(r.outcome())).count();
    }
}
