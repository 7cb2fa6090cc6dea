package io.jobstate.it.monitoring;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobstate.it.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A real Prometheus (Debian's binary) on a free loopback port, scraping one target every second and
 * evaluating the shipped rules every second, its data in a temporary folder. {@link #close} stops the
 * process (killing it if it does not stop within 10 s) and removes the folder; use it in
 * try-with-resources so that this happens also when the test fails. Not thread-safe.
 */
public final class PrometheusServer implements AutoCloseable {

    private static final Duration READY_WITHIN = Duration.ofSeconds(30);

    private final Path home;
    private final Process process;
    private final URI api;

    private PrometheusServer(Path home, Process process, URI api) {
        this.home = home;
        this.process = process;
        this.api = api;
    }

    /** Starts Prometheus scraping {@code target} (host:port, path /metrics) as job "jobstate", and waits until it is ready. */
    public static PrometheusServer scraping(String target, Path rules) throws IOException {
        Path binary = PrometheusTools.require("prometheus");
        Path home = Files.createTempDirectory("jobstate-prometheus");
        Files.writeString(home.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: jobstate
                    metrics_path: /metrics
                    static_configs:
                      - targets: ['%s']
                """.formatted(rules.toAbsolutePath(), target));
        int port = freePort();
        Process process = new ProcessBuilder(binary.toString(), "--config.file=" + home.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + home.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(home.resolve("prometheus.log").toFile()).start();
        PrometheusServer server = new PrometheusServer(home, process, URI.create("http://127.0.0.1:" + port + "/"));
        try {
            await("Prometheus ready").atMost(READY_WITHIN).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> !process.isAlive() || server.ready());
            if (!process.isAlive()) {
                throw new IllegalStateException("Prometheus stopped at start:\n" + server.log());
            }
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The result vector of an instant query: one JSON object per series, with "metric" and "value". */
    public List<JsonNode> query(String expression) {
        JsonNode answer = get("api/v1/query?query=" + URLEncoder.encode(expression, StandardCharsets.UTF_8));
        return elements(answer.path("data").path("result")).toList();
    }

    /** Every rule Prometheus loaded, with its health ("ok", "err", "unknown") and last error. */
    public List<JsonNode> rules() {
        return elements(get("api/v1/rules").path("data").path("groups"))
                .flatMap(group -> elements(group.path("rules"))).toList();
    }

    /** The scrape targets' state ("up", "down") and last error. */
    public List<JsonNode> targets() {
        return elements(get("api/v1/targets").path("data").path("activeTargets")).toList();
    }

    /** What Prometheus logged, for failure messages. */
    public String log() {
        try {
            return Files.readString(home.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private boolean ready() {
        return send("-/ready").statusCode() == 200;
    }

    private JsonNode get(String path) {
        HttpResponse<String> response = send(path);
        try {
            return new ObjectMapper().readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON from " + path + ": " + response.body(), e);
        }
    }

    private HttpResponse<String> send(String path) {
        try {
            return Http.getFromServer(api.resolve("/").toURL(), "/" + path);
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Stream<JsonNode> elements(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            PrometheusTools.deleteTree(home);
        }
    }
}
