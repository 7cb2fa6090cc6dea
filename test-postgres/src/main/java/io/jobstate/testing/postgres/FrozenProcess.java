package io.jobstate.testing.postgres;

import java.util.List;

/**
 * A process of the test's PostgreSQL stopped with SIGSTOP until closed (SIGCONT): to the sessions a
 * frozen backend serves, the database hangs instead of answering or resetting the connection (the
 * kernel still keeps the TCP connection up). The process must be one the test may signal: a backend
 * of the build's own cluster, from its {@code pg_backend_pid()}. Not thread-safe.
 */
public final class FrozenProcess implements AutoCloseable {

    private final long pid;

    private FrozenProcess(long pid) {
        this.pid = pid;
    }

    public static FrozenProcess freeze(long pid) {
        ProcessSignals.stop(List.of(pid));
        return new FrozenProcess(pid);
    }

    /** Lets the process run again. */
    @Override
    public void close() {
        ProcessSignals.resume(List.of(pid));
    }
}
