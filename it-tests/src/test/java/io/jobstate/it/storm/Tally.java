package io.jobstate.it.storm;

import io.jobstate.client.coordinator.Operation;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/** What the storm's callers were told that the checker needs, gathered from all callers. Thread-safe. */
public final class Tally {

    /** Re-sent operations that had been applied yet were not answered as applied: each is a bug. */
    final LongAdder replaysNotApplied = new LongAdder();
    /** Operations that ended in a transient failure after all retries: their outcome is unknown. */
    final Queue<Operation> unknownOutcome = new ConcurrentLinkedQueue<>();
    /** Operations reported applied: each must be exactly one history row. */
    final Queue<Operation> reportedApplied = new ConcurrentLinkedQueue<>();
}
