package io.jobstate.testing.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Signals to processes given by id (SIGSTOP, SIGCONT, SIGKILL through the system's {@code kill}:
 * the JDK can only send SIGTERM and SIGKILL), and a bounded wait for their end. A zombie counts as
 * ended: it has closed its sockets and files, and an orphan's zombie waits for the machine's init
 * to reap it, whenever that may be. Thread-safe (no state).
 */
final class ProcessSignals {

    private static final Duration SIGNAL_TIMEOUT = Duration.ofSeconds(10);

    private ProcessSignals() {
    }

    static void stop(List<Long> pids) {
        send("-STOP", pids);
    }

    static void resume(List<Long> pids) {
        send("-CONT", pids);
    }

    static void kill(List<Long> pids) {
        send("-KILL", pids);
    }

    /** The direct children of {@code pid} now. */
    static List<Long> children(long pid) {
        return ProcessHandle.of(pid).map(handle -> handle.children().map(ProcessHandle::pid).toList()).orElse(List.of());
    }

    /** Waits until every process has ended (or is a zombie); fails after {@code timeout}. */
    static void awaitEnded(List<Long> pids, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long pid : pids) {
            while (running(pid)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("process " + pid + " did not end within " + timeout);
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(20); // polling /proc: there is no way to wait for another's process
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for process " + pid, e);
                }
            }
        }
    }

    static boolean running(long pid) {
        if (ProcessHandle.of(pid).isEmpty()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    /**
     * Sends the signal to every process. Its exit status is ignored: a process that ended between
     * being listed and being signalled (a backend whose client left) needs no signal, and whether
     * the others ended is what {@link #awaitEnded} checks.
     */
    private static void send(String signal, List<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(SIGNAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end within " + SIGNAL_TIMEOUT);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending " + signal, e);
        }
    }
}
