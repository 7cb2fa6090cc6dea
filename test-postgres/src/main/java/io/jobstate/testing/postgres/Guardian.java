package io.jobstate.testing.postgres;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
    private final List<String> ready;

    /** Takes charge of {@code process}; {@code clusters} names what it guards, for the log. */
    Guardian(Process process, String clusters) {
        this(process, clusters, List.of());
    }

    private Guardian(Process process, String clusters, List<String> ready) {
        this.process = process;
        this.clusters = clusters;
        this.ready = ready;
        this.shutdownHook = new Thread(this::stop, "stop " + clusters);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Runs the guardian script {@code script} (a resource next to this class) with {@code environment}
     * in a session of its own — a Ctrl-C in the terminal reaches the JVM, whose exit then closes the
     * pipe — and returns once it has printed its {@code READY} line; the rest of its output goes to
     * the log.
     */
    static Guardian launch(String script, Map<String, String> environment, String clusters) {
        ProcessBuilder builder = new ProcessBuilder("setsid", "bash", "-c", resource(script), script)
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run bash to guard " + clusters, e);
        }
        try {
            return new Guardian(process, clusters, readyLine(process, clusters));
        } catch (RuntimeException e) {
            process.destroy();
            throw e;
        }
    }

    /** The words the script printed after {@code READY} (empty for a guardian made from a process). */
    List<String> ready() {
        return ready;
    }

    private static String resource(String script) {
        try (InputStream in = Guardian.class.getResourceAsStream(script)) {
            if (in == null) {
                throw new IllegalStateException(script + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> readyLine(Process process, String clusters) {
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line = output.readLine();
            if (line == null || !line.startsWith("READY ")) {
                throw new IllegalStateException("the guardian of " + clusters + " said " + line);
            }
            Thread drain = new Thread(() -> {
                try {
                    output.lines().forEach(l -> LOG.info(() -> clusters + ": " + l));
                } catch (UncheckedIOException e) {
                    // the guardian has gone; nothing left to read
                }
            }, "guardian-output");
            drain.setDaemon(true);
            drain.start();
            return List.of(line.substring("READY ".length()).split(" "));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
