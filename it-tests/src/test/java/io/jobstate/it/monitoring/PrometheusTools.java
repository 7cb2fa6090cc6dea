package io.jobstate.it.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code prometheus} package's binaries, {@code promtool} and {@code prometheus}: found on the
 * usual paths, or the calling test is skipped loudly (with {@code CI=true} it fails: .ci/run installs
 * the package). {@link #promtool} runs a promtool command with a bound.
 */
public final class PrometheusTools {

    private static final List<Path> DIRECTORIES = List.of(Path.of("/usr/bin"), Path.of("/usr/local/bin"), Path.of("/bin"));
    private static final long PROMTOOL_SECONDS = 60;

    private PrometheusTools() {
    }

    /** The named binary, or the test is skipped (failed on CI). */
    public static Path require(String binary) {
        return DIRECTORIES.stream().map(dir -> dir.resolve(binary)).filter(Files::isExecutable).findFirst().orElseGet(() -> {
            String message = "PROMETHEUS TESTS NOT RUN: " + binary + " is missing. Install Debian's prometheus (.ci/run does).";
            System.err.println("\n!!!!! " + message + "\n");
            assertThat(System.getenv("CI")).as(message).isNotEqualTo("true");
            Assumptions.abort(message);
            throw new AssertionError(message);
        });
    }

    /** What promtool said (stdout and stderr) and its exit status; run in {@code directory}. */
    public record Run(int exit, String output) {
    }

    public static Run promtool(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(require("promtool").toString()));
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile("promtool", ".out");
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        try {
            assertThat(process.waitFor(PROMTOOL_SECONDS, TimeUnit.SECONDS)).as("promtool finished within %d s", PROMTOOL_SECONDS).isTrue();
            return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }

    /** Removes {@code folder} and everything in it. */
    static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
