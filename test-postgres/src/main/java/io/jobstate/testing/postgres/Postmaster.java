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
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The running server of one data folder, seen through its {@code postmaster.pid}: the postmaster's
 * process id, every process it started, and what a server killed with SIGKILL leaves behind.
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
     * A server whose every process is stopped: the processes, the postmaster last, and the POSIX
     * shared memory segments they map ({@code /dev/shm/PostgreSQL.<handle>}: dynamic shared memory,
     * which a server killed with SIGKILL leaves behind).
     */
    record Stopped(List<Long> processes, Set<Path> segments) {
        static final Stopped NOTHING = new Stopped(List.of(), Set.of());
    }

    /**
     * Stops (SIGSTOP) the postmaster, then every process it started, so that none can react — start
     * another, notice the others' fate, answer a client — to what is done to them next. Nothing
     * when no server runs.
     */
    Stopped stopEveryProcess() {
        Optional<Long> postmaster = pid().filter(ProcessSignals::running);
        if (postmaster.isEmpty()) {
            return Stopped.NOTHING;
        }
        ProcessSignals.stop(List.of(postmaster.get()));
        List<Long> everyone = new ArrayList<>(ProcessSignals.children(postmaster.get()));
        ProcessSignals.stop(everyone);
        everyone.add(postmaster.get());
        return new Stopped(List.copyOf(everyone), mappedSegments(everyone));
    }

    /**
     * Removes what a killed server leaves: its dynamic shared memory segments (recorded while its
     * processes were stopped), its System V segment (a restart would remove that one; a node never
     * started again would leak it — and once it is gone, a restart no longer finds the dynamic
     * ones), then its lock files: PostgreSQL treats a lock file as stale only when no process has
     * its pid, and an orphan's zombie keeps its pid until the machine's init reaps it, whenever that
     * may be. Call it only once every process of {@code killed} has ended.
     */
    void forgetKilled(Stopped killed) {
        sharedMemoryId().ifPresent(id -> OwnerCommands.system(Duration.ofSeconds(10), "ipcrm", "-m", id));
        try {
            for (Path segment : killed.segments()) {
                Files.deleteIfExists(segment);
            }
            Files.deleteIfExists(data().resolve("postmaster.pid"));
            Files.deleteIfExists(folder.resolve(".s.PGSQL." + port + ".lock"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The dynamic shared memory segments {@code processes} map now (from {@code /proc/<pid>/maps}). */
    static Set<Path> mappedSegments(List<Long> processes) {
        Set<Path> segments = new TreeSet<>();
        for (long pid : processes) {
            try (Stream<String> maps = Files.lines(Path.of("/proc", Long.toString(pid), "maps"))) {
                maps.map(line -> line.substring(line.lastIndexOf(' ') + 1))
                        .filter(file -> file.startsWith("/dev/shm/PostgreSQL.")).map(Path::of).forEach(segments::add);
            } catch (IOException | UncheckedIOException e) {
                // a process that ended meanwhile maps nothing any more
            }
        }
        return segments;
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
