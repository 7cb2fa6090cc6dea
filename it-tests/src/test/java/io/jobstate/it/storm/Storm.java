package io.jobstate.it.storm;

import io.jobstate.client.api.NewJob;
import io.jobstate.client.coordinator.JobCoordinator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

/**
 * A storm: {@code callers} threads, split round-robin over the server instances, each making
 * {@code operationsPerCaller} operations on {@code liveJobs} jobs through one typed client. All
 * threads start together and the whole storm is bounded by a deadline.
 */
public final class Storm {

    /** The size of a storm. */
    public record Plan(int callers, int operationsPerCaller, int liveJobs) {
    }

    /** What a finished storm leaves for the checker. */
    public record Outcome(List<UUID> jobs, Tally tally) {
    }

    private Storm() {
    }

    /** Starts the storm on background threads; {@link Running#finish} waits for it. */
    public static Running start(JobCoordinator coordinator, Plan plan, List<Integer> ports, long seed) {
        ExchangeLog.reset();
        List<UUID> initial = IntStream.range(0, plan.liveJobs())
                .mapToObj(i -> coordinator.create(NewJob.ofType("storm")).id()).toList();
        JobSlots slots = new JobSlots(initial);
        Tally tally = new Tally();
        ExecutorService pool = Executors.newFixedThreadPool(plan.callers());
        CyclicBarrier start = new CyclicBarrier(plan.callers());
        List<Future<?>> callers = new ArrayList<>();
        for (int i = 0; i < plan.callers(); i++) {
            callers.add(pool.submit(new StormCaller(coordinator, slots, tally, plan.operationsPerCaller(),
                    ports.get(i % ports.size()), seed + i, start)));
        }
        return new Running(pool, callers, slots, tally);
    }

    /** A storm under way. Closing it stops its threads, also when the test failed. */
    public static final class Running implements AutoCloseable {

        private final ExecutorService pool;
        private final List<Future<?>> callers;
        private final JobSlots slots;
        private final Tally tally;

        private Running(ExecutorService pool, List<Future<?>> callers, JobSlots slots, Tally tally) {
            this.pool = pool;
            this.callers = callers;
            this.slots = slots;
            this.tally = tally;
        }

        /** Waits for every caller (at most {@code timeout} in all); a caller's exception fails the storm. */
        public Outcome finish(Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (Future<?> caller : callers) {
                long left = deadline - System.nanoTime();
                try {
                    caller.get(Math.max(0, left), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    throw new AssertionError("the storm did not finish within " + timeout + "; exchanges so far by status: "
                            + ExchangeLog.progress(), e);
                }
            }
            return new Outcome(slots.everyJob(), tally);
        }

        @Override
        public void close() throws InterruptedException {
            pool.shutdownNow();
            if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("storm callers did not stop");
            }
        }
    }
}
