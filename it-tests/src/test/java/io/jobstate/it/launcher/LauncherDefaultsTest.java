package io.jobstate.it.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launcher's rules for what it exposes: the development key pair is public, so while the
 * launcher trusts it the server listens on loopback only, and asking for another interface is
 * refused; with a real issuer, JOBSTATE_HTTP_HOST is honoured. A port another process holds is
 * refused before anything starts (that process would answer the readiness check).
 */
class LauncherDefaultsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void withTheDevelopmentKeyTheServerListensOnLoopbackOnly() throws Exception {
        Result result = libertyEnv(Map.of());

        assertThat(result.exit()).isZero();
        assertThat(result.host()).isEqualTo("127.0.0.1");
        assertThat(result.output()).contains("DEVELOPMENT tokens", "listening on 127.0.0.1 only");
    }

    @Test
    void withTheDevelopmentKeyAnotherInterfaceIsRefused() throws Exception {
        Result result = libertyEnv(Map.of("JOBSTATE_HTTP_HOST", "0.0.0.0"));

        assertThat(result.exit()).isNotZero();
        assertThat(result.output()).contains("JOBSTATE_HTTP_HOST=0.0.0.0", "MP_JWT_VERIFY_PUBLICKEY_LOCATION");
    }

    @Test
    void withAnIssuerTheChosenInterfaceOrEveryOneIsUsed() throws Exception {
        Map<String, String> issuer = Map.of("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "file:/etc/issuer.pem",
                "MP_JWT_VERIFY_ISSUER", "https://issuer.test");

        Result chosen = libertyEnv(with(issuer, "JOBSTATE_HTTP_HOST", "0.0.0.0"));
        Result unset = libertyEnv(issuer);

        assertThat(chosen.exit()).isZero();
        assertThat(chosen.host()).isEqualTo("0.0.0.0");
        assertThat(unset.exit()).isZero();
        assertThat(unset.host()).isEmpty(); // server.xml's default: every interface
        assertThat(unset.output()).doesNotContain("DEVELOPMENT");
    }

    @Test
    void aPortAnotherProcessHoldsIsRefused() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Result result = run("require_free_http_port", Map.of("JOBSTATE_HTTP_PORT", Integer.toString(taken.getLocalPort())));

            assertThat(result.exit()).isNotZero();
            assertThat(result.output()).contains("port " + taken.getLocalPort() + " is in use");
        }
    }

    @Test
    void aFreePortIsAccepted() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }

        assertThat(run("require_free_http_port", Map.of("JOBSTATE_HTTP_PORT", Integer.toString(port))).exit()).isZero();
    }

    private record Result(int exit, String host, String output) {
    }

    private static Result libertyEnv(Map<String, String> environment) throws Exception {
        return run("liberty_env && echo \"HOST=${JOBSTATE_HTTP_HOST:-}\"", environment);
    }

    /** Sources the launcher's library in a clean bash and runs {@code script}; stdout and stderr together. */
    private static Result run(String script, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of("bash", "-c",
                "set -euo pipefail; . \"$ROOT/scripts/lib/service.sh\"; " + script)).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("JOBSTATE_") || name.startsWith("MP_JWT_"));
        builder.environment().put("ROOT", ROOT.toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String host = output.lines().filter(line -> line.startsWith("HOST=")).map(line -> line.substring(5))
                .findFirst().orElse("");
        return new Result(process.exitValue(), host, output);
    }

    private static Map<String, String> with(Map<String, String> base, String name, String value) {
        Map<String, String> copy = new HashMap<>(base);
        copy.put(name, value);
        return copy;
    }

    static {
        if (!Files.isRegularFile(ROOT.resolve("scripts/lib/service.sh"))) {
            throw new IllegalStateException("run from the it-tests module: no scripts/lib/service.sh under " + ROOT);
        }
    }
}
