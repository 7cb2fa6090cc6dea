package io.jobstate.testing.postgres;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Command-line entry point for the launcher ({@code pg_bin} in {@code scripts/lib/service.sh}):
 * prints the folder of the PostgreSQL server binaries that the tests would use, found by
 * {@link PostgresBinaries} (unpacking the Maven Central binaries first when they are the ones), and
 * exits 0; prints the reason to standard error and exits 1 when there are none. With the argument
 * {@code --maven} it prints the Maven Central binaries' folder whatever the machine has.
 */
public final class PostgresBinFolder {

    private PostgresBinFolder() {
    }

    public static void main(String[] args) {
        // standard output carries this program's answer, read by the shell: not a log
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try {
            Path folder = args.length > 0 && args[0].equals("--maven")
                    ? MavenPostgresBinaries.locate().orElseThrow(() -> new IllegalStateException(
                            "Maven Central has no PostgreSQL binaries for this platform on the class path"))
                    : PostgresBinaries.locate();
            out.println(folder.toAbsolutePath());
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }
}
