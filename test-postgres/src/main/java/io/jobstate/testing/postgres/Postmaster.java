package io.jobstate.testing.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The running server of one data folder, seen through its {@code postmaster.pid}: the postmaster's
 * process id, every process it started, and what a postmaster killed with SIGKILL leaves behind.
 * Not thread-safe: the harness that owns the folder drives it.
 *
 * @param folder the node's folder: {@code data} inside it, and the Unix socket (with its lock file)
 * @param port   the server's port, which names the socket's lock file
 */
record Postmaster(Path folder, int port) {

    Path data() {
        return folder.resolve("data");
    }

    Optional<Long> pid() {
        return pidFileLine(0).map(Long::parseLong);
    }

    /**
     * Stops (SIGSTOP) the postmaster, then every process it started, so that none can react — start
     * another, notice the others' fate, answer a client — to what is done to them next; returns all
     * of them, the postmaster last. Empty when no server runs.
     */
    List<Long> stopEveryProcess() {
        Optional<Long> postmaster = pid().filter(ProcessSignals::running);
        if (postmaster.isEmpty()) {
            return List.of();
        }
        ProcessSignals.stop(List.of(postmaster.get()));
        List<Long> everyone = new ArrayList<>(ProcessSignals.children(postmaster.get()));
        ProcessSignals.stop(everyone);
        everyone.add(postmaster.get());
        return everyone;
    }

    /**
     * Removes what a killed postmaster leaves that would stop the server from starting again: its
     * System V segment (a restart would remove it; a node never started again would leak it), then
     * its lock files. PostgreSQL treats a lock file as stale only when no process has its pid, and
     * an orphan's zombie keeps its pid until the machine's init reaps it, whenever that may be.
     * Call it only once every process of the server has ended.
     */
    void forgetKilled() {
        sharedMemoryId().ifPresent(id -> OwnerCommands.system(Duration.ofSeconds(10), "ipcrm", "-m", id));
        try {
            Files.deleteIfExists(data().resolve("postmaster.pid"));
            Files.deleteIfExists(folder.resolve(".s.PGSQL." + port + ".lock"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The id of the System V segment the postmaster recorded (line 7 of postmaster.pid: key, then id). */
    private Optional<String> sharedMemoryId() {
        return pidFileLine(6).map(line -> line.split("\\s+")).filter(parts -> parts.length == 2).map(parts -> parts[1]);
    }

    private Optional<String> pidFileLine(int index) {
        try {
            List<String> lines = Files.readAllLines(data().resolve("postmaster.pid"));
            return lines.size() > index ? Optional.of(lines.get(index).trim()) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
