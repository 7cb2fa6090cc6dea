package io.jobstate.persistence.benchmark;

import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * Drives a {@link JobStore} with a fixed number of client threads for a fixed time, recording the
 * latency of every request.
 */
final class JavaRunner {

    private final JobStore store;
    private final Workload workload;
    private final BenchJobs jobs;
    private final List<Workload.ClientState> clients = new ArrayList<>();

    JavaRunner(JobStore store, Workload workload, BenchJobs jobs, int clientCount) {
        this.store = store;
        this.workload = workload;
        this.jobs = jobs;
        for (int c = 0; c < clientCount; c++) {
            clients.add(new Workload.ClientState(c, clientCount));
        }
    }

    CellResult run(String path, Duration duration) throws Exception {
        Recorder latencies = new Recorder(3);
        AtomicLong requests = new AtomicLong();
        AtomicLong applied = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        Map<UUID, String> leases = new ConcurrentHashMap<>();
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients.size());
        long start;
        long end;
        try {
            List<Future<?>> running = new ArrayList<>();
            long[] deadline = new long[1];
            for (Workload.ClientState client : clients) {
                running.add(pool.submit(() -> {
                    gate.await();
                    while (System.nanoTime() < deadline[0]) {
                        Workload.Step step = workload.next(client);
                        long sent = System.nanoTime();
                        try {
                            UUID id = jobs.id(step.job());
                            // as the run's worker: with the lease token of the job's latest run seen here
                            TransitionOutcome outcome = store.transition(id,
                                    TransitionRequest.to(step.to()).withLeaseToken(leases.get(id)));
                            if (outcome instanceof TransitionOutcome.Applied done) {
                                applied.incrementAndGet();
                                if (done.job().lease() != null) {
                                    leases.put(id, done.job().lease().token());
                                }
                            }
                        } catch (RuntimeException e) {
                            errors.incrementAndGet();
                        }
                        latencies.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
                        requests.incrementAndGet();
                    }
                    return null;
                }));
            }
            start = System.nanoTime();
            deadline[0] = start + duration.toNanos();
            gate.countDown();
            for (Future<?> client : running) {
                client.get();
            }
            end = System.nanoTime();
        } finally {
            pool.shutdownNow();
        }
        var histogram = latencies.getIntervalHistogram();
        return new CellResult(workload, clients.size(), path, requests.get(), applied.get(), (end - start) / 1e9,
                histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0, errors.get());
    }
}
