package io.jobstate.testing.postgres;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The one-member etcd a {@link PatroniCluster} keeps its state in (leader key, members, the
 * synchronous standby's name), on two loopback ports, its data in the cluster's folder. Patroni
 * talks to it through the v2 API ({@code etcd:} in the configuration; ops/patroni/patroni.yml says
 * why), which etcd 3.4 serves only when asked to. Runs as this JVM's user; the cluster's guardian
 * ends it. Thread-safe (immutable once started).
 */
final class Etcd {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final int clientPort;

    private Etcd(int clientPort) {
        this.clientPort = clientPort;
    }

    /** Starts etcd in {@code root}; returns once it reports itself healthy. */
    static Etcd start(Path root, int clientPort, int peerPort) {
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> command = List.of("etcd", "--name", "etcd", "--data-dir", root.resolve("etcd").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "etcd=" + peer, "--enable-v2=true", "--logger", "zap", "--log-level", "warn");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("etcd.log").toFile()));
        // ETCD_… variables would override the flags
        builder.environment().keySet().removeIf(name -> name.startsWith("ETCD_"));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start etcd", e);
        }
        Etcd etcd = new Etcd(clientPort);
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            Awaitility.await("etcd healthy on port " + clientPort).atMost(START_TIMEOUT).pollInSameThread()
                    .pollInterval(Duration.ofMillis(100)).until(() -> !process.isAlive() || healthy(http, clientPort));
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("etcd did not become healthy; see " + root.resolve("etcd.log"), e);
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("etcd ended (exit " + process.exitValue() + "); see " + root.resolve("etcd.log"));
        }
        return etcd;
    }

    private static boolean healthy(HttpClient http, int port) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"health\":\"true\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** host:port of the client URL, for Patroni's {@code etcd3.hosts}. */
    String clientAddress() {
        return "127.0.0.1:" + clientPort;
    }
}
