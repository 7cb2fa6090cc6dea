package io.jobstate.testing.postgres;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the folder holding {@code initdb}, {@code pg_ctl} and {@code postgres}: the folder named by
 * {@code JOBSTATE_PG_BIN}, else {@code pg_config --bindir}, else the newest of the usual package
 * locations (Debian/Ubuntu, RHEL, Homebrew, source installs), else the {@code PATH}, else the
 * binaries from Maven Central ({@link MavenPostgresBinaries}): the machine's own PostgreSQL wins
 * when it has one. The launcher asks this very search ({@link PostgresBinFolder}, called by
 * {@code pg_bin} in {@code scripts/lib/service.sh}), so the two cannot drift apart. Thread-safe.
 */
public final class PostgresBinaries {

    static final String BIN_ENV = "JOBSTATE_PG_BIN";
    private static final List<String> SERVER_TOOLS = List.of("initdb", "pg_ctl", "postgres");
    /** Where packages put versioned server installs: a parent folder and a glob for its children. */
    private static final List<String[]> PACKAGE_LOCATIONS = List.of(
            new String[] {"/usr/lib/postgresql", "*"},
            new String[] {"/usr", "pgsql-*"},
            new String[] {"/usr/local", "pgsql*"},
            new String[] {"/usr/local/opt", "postgresql*"},
            new String[] {"/opt/homebrew/opt", "postgresql*"});
    private static final Pattern NUMBER = Pattern.compile("(\\d+)");

    private PostgresBinaries() {
    }

    public static Path locate() {
        String configured = System.getenv(BIN_ENV);
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured);
            if (!hasServerTools(dir)) {
                throw new IllegalStateException(BIN_ENV + "=" + configured + " holds no initdb, pg_ctl and postgres");
            }
            return dir;
        }
        return fromPgConfig()
                .or(PostgresBinaries::newestPackaged)
                .or(PostgresBinaries::onPath)
                .or(MavenPostgresBinaries::locate)
                .orElseThrow(() -> new IllegalStateException(
                        "No PostgreSQL server binaries (initdb, pg_ctl, postgres) found, and Maven Central has none for "
                                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ". Install them "
                                + "(Debian/Ubuntu: apt-get install postgresql) or set " + BIN_ENV
                                + " to their folder, or set JOBSTATE_TEST_DB_URL to use an existing server."));
    }

    static boolean hasServerTools(Path dir) {
        return SERVER_TOOLS.stream().allMatch(tool -> Files.isExecutable(dir.resolve(tool)));
    }

    private static Optional<Path> fromPgConfig() {
        try {
            Process process = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes()).trim();
            if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0) {
                Path dir = Path.of(out);
                return hasServerTools(dir) ? Optional.of(dir) : Optional.empty();
            }
            process.destroyForcibly();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    private static Optional<Path> newestPackaged() {
        List<Path> candidates = new ArrayList<>();
        for (String[] location : PACKAGE_LOCATIONS) {
            collect(Path.of(location[0]), location[1], candidates);
        }
        return candidates.stream().filter(PostgresBinaries::hasServerTools)
                .max(Comparator.comparingInt(PostgresBinaries::majorVersionIn));
    }

    private static void collect(Path parent, String glob, List<Path> into) {
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(parent, glob)) {
            children.forEach(child -> into.add(child.resolve("bin")));
        } catch (IOException e) {
            // an unreadable folder simply offers no candidates
        }
    }

    /** The first number in the path (e.g. 15 in /usr/lib/postgresql/15/bin), 0 if none. */
    static int majorVersionIn(Path binDir) {
        Matcher matcher = NUMBER.matcher(binDir.toString());
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }

    private static Optional<Path> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(java.io.File.pathSeparator)) {
            if (!entry.isBlank() && hasServerTools(Path.of(entry))) {
                return Optional.of(Path.of(entry));
            }
        }
        return Optional.empty();
    }
}
