package io.jobstate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jobstate.client.api.HistoryEntry;
import io.jobstate.client.api.Job;
import io.jobstate.client.api.JobStatus;
import io.jobstate.client.api.NewJob;
import io.jobstate.client.api.TransitionRequest;
import io.jobstate.client.auth.BearerToken;
import io.jobstate.client.coordinator.JobCoordinator;
import io.jobstate.client.coordinator.Operation;
import io.jobstate.client.coordinator.OperationResult;
import io.jobstate.client.problem.ConflictException;
import io.jobstate.client.testing.ClientContainer;
import jakarta.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Two coordinators race through the typed client on the same jobs against the real service: a
 * driver moves every job forward (QUEUED, RUNNING, COMPLETED) from what it last saw, a canceller
 * cancels half of them from what it read; all threads start on each job together. Then every job
 * must be terminal, every history a legal path, every reported success exactly one history row
 * (and every row a reported success), every "superseded" answer a state the job really had, and
 * the uncontested half COMPLETED.
 */
abstract class CoordinatorRace extends LibertyTest {

    private static final int JOBS = 40;
    private static final int THREADS_PER_COORDINATOR = 6;
    private static final int MAX_STEPS = 12;

    @Test
    void twoCoordinatorsConvergeWithNoLostUpdateAndNoOverwrittenTerminalState() {
        try (ClientContainer client = ClientContainer.start(clientConfiguration())) {
            JobCoordinator coordinator = client.coordinator();
            List<UUID> jobs = IntStream.range(0, JOBS).mapToObj(i -> coordinator.create(NewJob.ofType("race")).id()).toList();
            List<UUID> contested = jobs.subList(0, JOBS / 2);
            RaceLedger ledger = new RaceLedger();
            double timeoutsBefore = lockWaitTimeouts();

            assertTimeoutPreemptively(Duration.ofMinutes(3), () -> race(coordinator, jobs, contested, ledger));

            Map<UUID, List<HistoryEntry>> histories = new HashMap<>();
            jobs.forEach(id -> histories.put(id, coordinator.history(id)));
            jobs.forEach(id -> assertLegalAndTerminal(coordinator.job(id), histories.get(id)));
            assertEverySuccessIsExactlyOneRow(ledger, histories);
            assertSupersededNamesARealState(ledger, histories);
            jobs.subList(JOBS / 2, JOBS).forEach(id -> assertThat(coordinator.job(id).status()).isEqualTo(JobStatus.COMPLETED));
            // the only exception allowed: expectations still stale after the bounded rebase rounds (wrote nothing)
            assertThat(ledger.entries()).filteredOn(e -> e.failure() != null)
                    .allSatisfy(e -> assertThat(e.failure()).isInstanceOf(ConflictException.class));

            // how many cancels met a driver's step first is up to the scheduler (2-7 of 20 in recorded runs, 0 once
            // on CI), so the race reports it and aStaleCancelIsRebasedOntoTheStepAnotherCoordinatorApplied proves it
            long rebased = rebased(ledger, histories);
            long cancelled = jobs.stream().filter(id -> coordinator.job(id).status() == JobStatus.CANCELLED).count();
            System.out.printf("coordinator race [%s]: jobs=%d operations=%d applied=%d superseded=%d rebased=%d"
                            + " contended=%d server-503s=%.0f completed=%d cancelled=%d history-rows=%d checker=PASS%n",
                    getClass().getSimpleName(), JOBS, ledger.entries().size(), ledger.count(OperationResult.Applied.class),
                    ledger.count(OperationResult.Superseded.class), rebased, ledger.failures(),
                    lockWaitTimeouts() - timeoutsBefore, JOBS - cancelled, cancelled,
                    histories.values().stream().mapToInt(List::size).sum());
        }
    }

    @Test
    void aStaleCancelIsRebasedOntoTheStepAnotherCoordinatorApplied() {
        try (ClientContainer client = ClientContainer.start(clientConfiguration())) {
            JobCoordinator coordinator = client.coordinator();
            Job seen = coordinator.job(coordinator.create(NewJob.ofType("race")).id());
            Operation queue = Operation.of(seen.id(), TransitionRequest.to(JobStatus.QUEUED).expecting(seen.status(), seen.version()));
            Operation staleCancel = Operation.of(seen.id(), TransitionRequest.to(JobStatus.CANCELLED)
                    .withReason("race").expecting(seen.status(), seen.version()));

            assertThat(coordinator.apply(queue)).isInstanceOf(OperationResult.Applied.class);
            OperationResult cancelled = coordinator.apply(staleCancel);

            assertThat(cancelled).isInstanceOfSatisfying(OperationResult.Applied.class, applied -> {
                assertThat(applied.job().status()).isEqualTo(JobStatus.CANCELLED);
                assertThat(applied.job().version()).isEqualTo(seen.version() + 2);
            });
            List<HistoryEntry> history = coordinator.history(seen.id());
            assertThat(history).extracting(HistoryEntry::idempotencyKey)
                    .containsExactly(queue.idempotencyKey(), staleCancel.idempotencyKey());
            assertThat(history.get(1).from()).as("the cancel was rebased onto the queued job").isEqualTo(JobStatus.QUEUED);
        }
    }

    private Map<String, String> clientConfiguration() {
        Map<String, String> properties = new HashMap<>();
        properties.put("jobstate/mp-rest/url", base.toString().replaceFirst("/$", ""));
        properties.put(BearerToken.TOKEN, DevTokens.forRole("coordinator"));
        properties.put("jobstate.client.retry.delay", "PT0.02S");
        properties.put(ClientContainer.RETRIES + "Retry/maxRetries", "20");
        return properties;
    }

    /** Every thread takes the jobs in the same order and they all start on each job together: the most contention. */
    private static void race(JobCoordinator coordinator, List<UUID> jobs, List<UUID> contested, RaceLedger ledger)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS_PER_COORDINATOR * 2);
        try {
            CyclicBarrier together = new CyclicBarrier(THREADS_PER_COORDINATOR * 2);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < THREADS_PER_COORDINATOR; t++) {
                work.add(pool.submit(() -> {
                    for (UUID id : jobs) {
                        Job seen = coordinator.job(id);
                        together.await();
                        drive(coordinator, seen, ledger);
                    }
                    return null;
                }));
                work.add(pool.submit(() -> {
                    for (UUID id : jobs) {
                        // both read before the start, so both act on what may be stale by then
                        Job seen = contested.contains(id) ? coordinator.job(id) : null;
                        together.await();
                        if (seen != null) {
                            cancel(coordinator, seen, ledger);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> done : work) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The driver: one step forward at a time, each based on the state it last saw. */
    private static void drive(JobCoordinator coordinator, Job seen, RaceLedger ledger) {
        UUID id = seen.id();
        JobStatus status = seen.status();
        long version = seen.version();
        for (int step = 0; step < MAX_STEPS && !status.isTerminal(); step++) {
            TransitionRequest request = TransitionRequest.to(next(status)).expecting(status, version);
            if (request.to() == JobStatus.COMPLETED) {
                request = request.withResult(Json.createObjectBuilder().add("by", "driver").build());
            }
            Operation operation = Operation.of(id, request);
            try {
                OperationResult result = coordinator.apply(operation);
                ledger.record("driver", operation, result);
                switch (result) {
                    case OperationResult.Applied applied -> {
                        status = applied.job().status();
                        version = applied.job().version();
                    }
                    case OperationResult.Superseded superseded -> {
                        status = superseded.currentStatus();
                        version = superseded.currentVersion();
                    }
                }
            } catch (ConflictException stillContended) {
                ledger.recordFailure("driver", operation, stillContended);
                status = stillContended.currentStatus();
                version = stillContended.currentVersion();
            }
        }
    }

    private static void cancel(JobCoordinator coordinator, Job seen, RaceLedger ledger) {
        if (seen.status().isTerminal()) {
            return;
        }
        Operation operation = Operation.of(seen.id(), TransitionRequest.to(JobStatus.CANCELLED)
                .withReason("race").expecting(seen.status(), seen.version()));
        try {
            ledger.record("canceller", operation, coordinator.apply(operation));
        } catch (RuntimeException e) {
            ledger.recordFailure("canceller", operation, e);
        }
    }

    /** Applied operations whose row does not follow the version they expected: the client rebased them. */
    private static long rebased(RaceLedger ledger, Map<UUID, List<HistoryEntry>> histories) {
        return ledger.entries().stream().filter(e -> e.result() instanceof OperationResult.Applied)
                .filter(e -> histories.get(e.jobId()).stream()
                        .anyMatch(row -> e.operation().idempotencyKey().equals(row.idempotencyKey())
                                && row.version() != e.operation().request().expectedVersion() + 1))
                .count();
    }

    /** The server's count of 503s for lock waits (pessimistic path): each one was retried by the client. */
    private double lockWaitTimeouts() {
        return Http.counter(Http.metrics(base), "jobstate_lock_wait_timeouts_total");
    }

    private static JobStatus next(JobStatus status) {
        return switch (status) {
            case PENDING -> JobStatus.QUEUED;
            case QUEUED -> JobStatus.RUNNING;
            case RUNNING -> JobStatus.COMPLETED;
            case FAILED, COMPLETED, CANCELLED -> throw new IllegalStateException("the driver never moves " + status);
        };
    }

    private static void assertLegalAndTerminal(Job job, List<HistoryEntry> history) {
        JobStatus status = JobStatus.PENDING;
        for (int i = 0; i < history.size(); i++) {
            HistoryEntry entry = history.get(i);
            assertThat(entry.version()).as("versions rise by one").isEqualTo(i + 1);
            assertThat(entry.from()).as("each row starts where the last ended").isEqualTo(status);
            assertThat(status.canMoveTo(entry.to())).as(entry.from() + " -> " + entry.to()).isTrue();
            status = entry.to();
        }
        assertThat(status.isTerminal()).as("job " + job.id() + " ends terminal").isTrue();
        assertThat(job.status()).isEqualTo(status);
        assertThat(job.version()).isEqualTo(history.size());
    }

    private static void assertEverySuccessIsExactlyOneRow(RaceLedger ledger, Map<UUID, List<HistoryEntry>> histories) {
        List<String> reported = new ArrayList<>();
        for (RaceLedger.Entry entry : ledger.entries()) {
            if (entry.result() instanceof OperationResult.Applied) {
                List<HistoryEntry> rows = histories.get(entry.jobId()).stream()
                        .filter(row -> entry.operation().idempotencyKey().equals(row.idempotencyKey())).toList();
                assertThat(rows).as("history rows of one reported success").hasSize(1);
                assertThat(rows.get(0).to()).isEqualTo(entry.operation().request().to());
                reported.add(entry.operation().idempotencyKey());
            }
        }
        List<String> rows = histories.values().stream().flatMap(List::stream).map(HistoryEntry::idempotencyKey).toList();
        assertThat(rows).as("every history row is a success some coordinator was told of")
                .containsExactlyInAnyOrderElementsOf(reported);
    }

    private static void assertSupersededNamesARealState(RaceLedger ledger, Map<UUID, List<HistoryEntry>> histories) {
        for (RaceLedger.Entry entry : ledger.entries()) {
            if (entry.result() instanceof OperationResult.Superseded superseded) {
                assertThat(histories.get(entry.jobId())).as("the state a superseded answer names")
                        .anySatisfy(row -> {
                            assertThat(row.version()).isEqualTo(superseded.currentVersion());
                            assertThat(row.to()).isEqualTo(superseded.currentStatus());
                        });
            }
        }
    }
}
