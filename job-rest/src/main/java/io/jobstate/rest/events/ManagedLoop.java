package io.jobstate.rest.events;

import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A loop on a managed thread of its own (container context, stopped with the application) that runs
 * while {@link #running()}; {@link #stop()} ends it and interrupts any wait. Thread-safe.
 */
final class ManagedLoop {

    /** Longer than any single wait inside a loop (the listener's one-second slice). */
    private static final Duration STOP_WAIT = Duration.ofSeconds(3);

    private volatile boolean running = true;
    private final Thread thread;

    private ManagedLoop(ManagedThreadFactory threads, Consumer<ManagedLoop> body) {
        this.thread = threads.newThread(() -> body.accept(this));
    }

    static ManagedLoop start(ManagedThreadFactory threads, Consumer<ManagedLoop> body) {
        ManagedLoop loop = new ManagedLoop(threads, body);
        loop.thread.start();
        return loop;
    }

    boolean running() {
        return running;
    }

    /**
     * Ends the loop and waits (boundedly) for its thread, so that it no longer touches the
     * application's beans once the container destroys them.
     */
    void stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(STOP_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
