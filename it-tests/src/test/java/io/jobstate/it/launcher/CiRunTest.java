package io.jobstate.it.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code .ci/run} fails closed: on a machine where the tools the suite needs are missing and cannot
 * be installed (here: a PATH with none of them and no apt-get), it stops before the build with a
 * message that names them and says how to run the reduced suite on purpose, and a non-zero exit.
 * Nothing is installed and no build runs: the run ends before either.
 */
class CiRunTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** What .ci/run itself needs before it could build; the suite's tools (curl, wrk, chromium …) are left out on purpose. */
    private static final List<String> BASICS = List.of("bash", "dirname", "id", "cat", "tr");

    private Path bin;

    @BeforeEach
    void aPathWithoutTheSuitesTools() throws IOException {
        bin = Files.createTempDirectory("ci-run-path");
        for (String tool : BASICS) {
            Path found = Stream.of("/usr/bin", "/bin").map(dir -> Path.of(dir, tool)).filter(Files::isExecutable).findFirst()
                    .orElseThrow(() -> new IllegalStateException(tool + " not found"));
            Files.createSymbolicLink(bin.resolve(tool), found);
        }
    }

    @AfterEach
    void removeIt() throws IOException {
        try (Stream<Path> paths = Files.walk(bin)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Test
    void aToolItCannotInstallStopsTheRunWithAMessageAndAFailure() throws Exception {
        Result result = ciRun();

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.output()).contains("cannot be installed", "wrk", "gnuplot-nox", "curl", "openssl", "chromium",
                "chromium-driver", "prometheus", ".ci/run --reduced", "JOBSTATE_REDUCED_SUITE=1");
        assertThat(result.output()).as("no build started").doesNotContain("Using JAVA_HOME");
    }

    @Test
    void anUnknownArgumentIsRefused() throws Exception {
        Result result = ciRun("--everything");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.output()).contains("unknown argument '--everything'");
    }

    private record Result(int exit, String output) {
    }

    private Result ciRun(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(bin.resolve("bash").toString(), ROOT.resolve(".ci/run").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", bin.toString());
        builder.environment().put("HOME", System.getProperty("java.io.tmpdir"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
