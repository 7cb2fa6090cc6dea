package io.jobstate.testing.postgres;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The guardian script that owns throwaway clusters, seen from this JVM. Its standard input is a pipe
 * from here: when the pipe closes — {@link #close()}, the JVM's exit, even a SIGKILL of the JVM — the
 * script stops the servers and removes their files. This class closes the pipe and waits for that
 * cleanup, at {@link #close()} or from a shutdown hook. Thread-safe.
 */
final class Guardian implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Guardian.class.getName());
    /** Longer than the script's worst case: a fast stop (30 s), then an immediate one. */
    static final long STOP_TIMEOUT_SECONDS = 120;

    private final Process process;
    private final String clusters;
    private final Thread shutdownHook;

    /** Takes charge of {@code process}; {@code clusters} names what it guards, for the log. */
    Guardian(Process process, String clusters) {
        this.process = process;
        this.clusters = clusters;
        this.shutdownHook = new Thread(this::stop, "stop " + clusters);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The script's process id, so tests can prove that nothing outlives the clusters. */
    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and the hook runs stop() itself
        }
        stop();
    }

    /**
     * Closes the pipe and waits for the script's cleanup. An interrupt does not cut the wait short
     * (that would leave the clusters' files behind); it is restored afterwards.
     */
    private void stop() {
        boolean interrupted = false;
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            process.destroy();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_TIMEOUT_SECONDS);
        while (process.isAlive() && System.nanoTime() < deadline) {
            try {
                process.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (process.isAlive()) {
            // the script ignores SIGTERM while it cleans up: only SIGKILL ends it now
            LOG.warning(() -> clusters + " did not stop in time; killing the guardian, files may remain");
            process.destroyForcibly();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
