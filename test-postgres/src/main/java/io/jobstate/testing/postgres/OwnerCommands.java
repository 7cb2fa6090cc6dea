package io.jobstate.testing.postgres;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs PostgreSQL's tools (initdb, pg_ctl, pg_basebackup, pg_rewind …) from one binaries folder as
 * the clusters' owner: through {@code runuser} when this JVM runs as another user (root: the
 * tools refuse to run as root), directly otherwise. A failing tool becomes an exception carrying
 * its output. Long-running programs of the owner (Patroni) are started here too. Thread-safe (no
 * state besides the two names).
 */
final class OwnerCommands {

    private final Path binaries;
    private final String owner;

    OwnerCommands(Path binaries, String owner) {
        this.binaries = binaries;
        this.owner = owner;
    }

    Path binaries() {
        return binaries;
    }

    /** Runs {@code tool} (a name in the binaries folder) with {@code arguments}; returns its output. */
    String run(Duration timeout, String tool, String... arguments) {
        List<String> command = new ArrayList<>();
        if (!owner.equals(System.getProperty("user.name"))) {
            command.addAll(List.of("runuser", "-u", owner, "--"));
        }
        command.add(binaries.resolve(tool).toString());
        command.addAll(List.of(arguments));
        return execute(command, timeout);
    }

    /**
     * Starts a long-running program (Patroni) as the owner, its output appended to {@code log}, with
     * only {@code environment} and the JVM's {@code PATH} as its environment (a stray
     * {@code PATRONI_…} variable would override its configuration). As another user it goes through
     * {@code setpriv}, which becomes the program: the returned process is the program itself, to
     * signal — {@code runuser} would stay in between as its parent.
     */
    Process spawn(File log, Map<String, String> environment, String... command) {
        List<String> full = new ArrayList<>();
        if (!owner.equals(System.getProperty("user.name"))) {
            String group = system(Duration.ofSeconds(10), "id", "-gn", owner).trim();
            full.addAll(List.of("setpriv", "--reuid=" + owner, "--regid=" + group, "--init-groups", "--"));
        }
        full.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(environment);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + String.join(" ", full), e);
        }
    }

    /** Runs a command of the system (kill, ipcrm) as this JVM's user; returns its output. */
    static String system(Duration timeout, String... command) {
        return execute(List.of(command), timeout);
    }

    private static String execute(List<String> command, Duration timeout) {
        try {
            File output = File.createTempFile("jobstate-pg-command", ".out");
            try {
                // output to a file, not a pipe: pg_ctl start leaves the server holding whatever it was given
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(output).start();
                boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!ended) {
                    process.destroyForcibly();
                }
                String text = java.nio.file.Files.readString(output.toPath(), StandardCharsets.UTF_8);
                if (!ended || process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command)
                            + (ended ? " failed (exit " + process.exitValue() + ")" : " did not end within " + timeout)
                            + ":\n" + text);
                }
                return text;
            } finally {
                java.nio.file.Files.deleteIfExists(output.toPath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }
}
