package io.jobstate.testing.postgres;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A private PostgreSQL cluster on a free loopback port, made from the machine's server binaries (or
 * those from Maven Central, see {@link PostgresBinaries}) and deleted when closed. It runs as an unprivileged user even when the JVM runs as root, with trust
 * authentication on 127.0.0.1 only.
 *
 * <p>The cluster is owned by a guardian script (throwaway-postgres.sh) whose standard input is a
 * pipe from this JVM. {@link #close()} closes the pipe; if the JVM dies instead — a failing build, a
 * Ctrl-C, even SIGKILL — the operating system closes it, and the guardian stops the server and
 * removes its files all the same. Thread-safe.
 */
public final class ThrowawayPostgres implements PostgresServer, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ThrowawayPostgres.class.getName());
    private static final String SCRIPT = "throwaway-postgres.sh";
    private static final int START_ATTEMPTS = 3;
    private static final long STOP_TIMEOUT_SECONDS = Guardian.STOP_TIMEOUT_SECONDS;

    private final Guardian guardian;
    private final int port;
    private final Path directory;
    private final Path binaries;
    private final PostgresSettings settings;

    private ThrowawayPostgres(Process guardian, int port, Path directory, Path binaries, PostgresSettings settings) {
        this.port = port;
        this.directory = directory;
        this.binaries = binaries;
        this.settings = settings;
        this.guardian = new Guardian(guardian, "throwaway PostgreSQL in " + directory);
    }

    /** A cluster from the binaries {@link PostgresBinaries} finds. */
    public static ThrowawayPostgres start(PostgresSettings settings) {
        return start(settings, PostgresBinaries.locate());
    }

    /** A cluster from the server binaries in {@code binaries} (initdb, pg_ctl, postgres). */
    public static ThrowawayPostgres start(PostgresSettings settings, Path binaries) {
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            // Another process may take the port between our probe and the server's bind: try again.
            try {
                return launch(binaries, LoopbackPorts.free(), settings);
            } catch (IllegalStateException e) {
                last = e;
                LOG.log(Level.WARNING, "throwaway PostgreSQL did not start (attempt " + attempt + ")", e);
            }
        }
        throw last;
    }

    private static ThrowawayPostgres launch(Path binaries, int port, PostgresSettings settings) {
        ProcessBuilder builder = new ProcessBuilder(command()).redirectErrorStream(true);
        builder.environment().put("PG_BIN", binaries.toString());
        builder.environment().put("PG_PORT", Integer.toString(port));
        builder.environment().put("PG_SETTINGS", settings.asOptions());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run bash to start PostgreSQL", e);
        }
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Deque<String> seen = new ArrayDeque<>();
        try {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                if (line.startsWith("READY ")) {
                    drainInBackground(output);
                    return new ThrowawayPostgres(process, port, Path.of(line.substring("READY ".length())), binaries,
                            settings);
                }
                seen.addLast(line);
                if (seen.size() > 60) {
                    seen.removeFirst();
                }
            }
            process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (IOException e) {
            process.destroy();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("PostgreSQL from " + binaries + " did not start on port " + port + ":\n"
                + String.join("\n", seen));
    }

    private static List<String> command() {
        String script = readScript();
        List<String> command = new ArrayList<>();
        // A session of its own: a Ctrl-C in the terminal reaches the JVM, whose exit then closes the pipe.
        if (Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"))) {
            command.add("setsid");
        }
        command.addAll(List.of("bash", "-c", script, SCRIPT));
        return command;
    }

    private static String readScript() {
        try (InputStream in = ThrowawayPostgres.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void drainInBackground(BufferedReader output) {
        Thread drain = new Thread(() -> {
            try {
                output.lines().forEach(line -> LOG.info(() -> "throwaway PostgreSQL: " + line));
            } catch (UncheckedIOException e) {
                // the guardian has gone; nothing left to read
            }
        }, "throwaway-postgres-output");
        drain.setDaemon(true);
        drain.start();
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String user() {
        return "postgres";
    }

    @Override
    public String password() {
        return "";
    }

    @Override
    public String adminDatabase() {
        return "postgres";
    }

    /** A database of its own in the cluster. */
    @Override
    public TestDatabase createDatabase(String prefix) {
        String name = DatabaseNames.next(prefix);
        return createOwnedDatabase(name);
    }

    @Override
    public void drop(TestDatabase database) {
        dropOwnedDatabase(database);
    }

    /** The cluster's folder (data, socket, log); gone once closed. */
    public Path directory() {
        return directory;
    }

    /**
     * Stops the server as an operator would ({@code pg_ctl stop -m fast}: sessions are
     * terminated, open transactions roll back); the cluster's files stay for {@link #startAgain()}.
     * For tests of outages.
     */
    public void stopFast() {
        pgCtl("-D", directory.resolve("data").toString(), "-m", "fast", "-w", "-t", "60", "stop");
    }

    /** Starts the server stopped by {@link #stopFast()} again, on the same port with the same settings. */
    public void startAgain() {
        pgCtl("-D", directory.resolve("data").toString(), "-l", directory.resolve("server.log").toString(), "-w",
                "-t", "60", "-o", "-p " + port + " -k " + directory + " -c listen_addresses=127.0.0.1 "
                        + settings.asOptions(), "start");
    }

    private void pgCtl(String... arguments) {
        List<String> command = new ArrayList<>();
        String owner = owner();
        if (!owner.equals(System.getProperty("user.name"))) {
            // the cluster belongs to the unprivileged user that made it when we are root (see throwaway-postgres.sh)
            command.addAll(List.of("runuser", "-u", owner, "--"));
        }
        command.add(binaries.resolve("pg_ctl").toString());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("pg_ctl " + String.join(" ", arguments) + " failed; server log:\n"
                        + serverLogTail());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running pg_ctl", e);
        }
    }

    private String owner() {
        try {
            return Files.getOwner(directory).getName();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String serverLogTail() {
        try {
            List<String> lines = Files.readAllLines(directory.resolve("server.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** The guardian's process id, so tests can prove that nothing outlives the cluster. */
    public long guardianPid() {
        return guardian.pid();
    }

    @Override
    public void close() {
        guardian.close();
    }
}
