package io.jobstate.it;

import io.jobstate.client.coordinator.Operation;
import io.jobstate.client.coordinator.OperationResult;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/** What the racing coordinators sent and got back, recorded from many threads. Thread-safe. */
final class RaceLedger {

    /** One finished operation; {@code result} is null when it ended in an exception ({@code failure}). */
    record Entry(String coordinator, Operation operation, OperationResult result, RuntimeException failure) {

        UUID jobId() {
            return operation.jobId();
        }
    }

    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();

    void record(String coordinator, Operation operation, OperationResult result) {
        entries.add(new Entry(coordinator, operation, result, null));
    }

    void recordFailure(String coordinator, Operation operation, RuntimeException failure) {
        entries.add(new Entry(coordinator, operation, null, failure));
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    long count(Class<? extends OperationResult> type) {
        return entries.stream().filter(e -> type.isInstance(e.result())).count();
    }

    long failures() {
        return entries.stream().filter(e -> e.failure() != null).count();
    }
}
