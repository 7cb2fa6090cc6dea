package io.jobstate.it.storm;

import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The live jobs of a storm: a fixed number of slots, each holding one job; a job seen terminal is
 * replaced by a new one, so legal transitions keep flowing. Remembers every job ever placed.
 * Thread-safe.
 */
final class JobSlots {

    private final AtomicReferenceArray<UUID> slots;
    private final Queue<UUID> everyJob = new ConcurrentLinkedQueue<>();

    JobSlots(List<UUID> initial) {
        slots = new AtomicReferenceArray<>(initial.toArray(UUID[]::new));
        everyJob.addAll(initial);
    }

    int size() {
        return slots.length();
    }

    UUID get(int slot) {
        return slots.get(slot);
    }

    /** Puts {@code replacement} in the slot if it still holds {@code finished} (another caller may have been first). */
    void replace(int slot, UUID finished, UUID replacement) {
        if (slots.compareAndSet(slot, finished, replacement)) {
            everyJob.add(replacement);
        }
    }

    List<UUID> everyJob() {
        return List.copyOf(everyJob);
    }
}
