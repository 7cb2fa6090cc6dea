package io.jobstate.rest.events;

import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.util.function.Consumer;

/**
 * A loop on a managed thread of its own (container context, stopped with the application) that runs
 * while {@link #running()}; {@link #stop()} ends it and interrupts any wait. Thread-safe.
 */
final class ManagedLoop {

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

    void stop() {
        running = false;
        thread.interrupt();
    }
}
