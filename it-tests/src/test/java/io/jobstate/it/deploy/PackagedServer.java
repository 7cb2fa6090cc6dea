package io.jobstate.it.deploy;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import io.jobstate.testing.postgres.TestDatabase;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The deployable runnable jar started as docs/operations.md tells operators to: {@code java -jar
 * jobstate.jar} with its configuration in environment variables, here on a free port. The process
 * runs under a guardian script whose standard input is a pipe from this JVM, so it never outlives
 * the test run, also when the JVM is killed; {@link #close()} stops it. Its console output is kept
 * in a file. Not thread-safe: one test drives it.
 */
final class PackagedServer implements AutoCloseable {

    private static final String GUARDIAN = "/io/jobstate/it/storm/guarded-process.sh";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Process guardian;
    private final int port;
    private final Path console;

    private PackagedServer(Process guardian, int port, Path console) {
        this.guardian = guardian;
        this.port = port;
        this.console = console;
    }

    /** A folder of the test's own (the keys, the extracted server, the logs), open to its owner only. */
    static Path workFolder(String prefix) throws IOException {
        return Files.createTempDirectory(prefix, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** Deletes what {@link #workFolder} made, and everything in it; nothing when {@code folder} is null. */
    static void deleteFolder(Path folder) throws IOException {
        if (folder == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * What docs/operations.md ("Deploying") tells an operator to set: the database with its two roles,
     * the token issuer; and where the jar unpacks itself (default: ~/wlpExtract).
     */
    static Map<String, String> environment(TestDatabase database, Path issuerKey, Path extractRoot) {
        Map<String, String> environment = new HashMap<>();
        environment.put("JOBSTATE_DB_URL", database.jdbcUrl());
        environment.put("JOBSTATE_DB_USER", database.runtime().user());
        environment.put("JOBSTATE_DB_PASSWORD", database.runtime().password());
        environment.put("JOBSTATE_DB_MIGRATION_USER", database.migration().user());
        environment.put("JOBSTATE_DB_MIGRATION_PASSWORD", database.migration().password());
        environment.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", issuerKey.toUri().toString());
        environment.put("MP_JWT_VERIFY_ISSUER", TestIssuer.ISSUER);
        environment.put("WLP_JAR_EXTRACT_ROOT", extractRoot.toString());
        return environment;
    }

    /**
     * Starts {@code jar} with {@code environment} (plus the port) and waits until it is ready; stops
     * it again if it never is. {@code console} receives its output.
     */
    static PackagedServer start(Path jar, Map<String, String> environment, Path console) throws IOException {
        int port = freePort();
        Process guardian = guarded(jar, environment, port, console);
        PackagedServer server = new PackagedServer(guardian, port, console);
        try {
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500))
                    .failFast("the server's process ended", () -> !guardian.isAlive())
                    .until(server::ready);
        } catch (RuntimeException e) {
            server.close();
            throw new IllegalStateException("the packaged server did not become ready; its console:\n" + server.console(), e);
        }
        return server;
    }

    /**
     * Runs {@code jar} with {@code environment} until it ends by itself, within {@code within}, and
     * returns its exit status; a process still running then is stopped and the test fails.
     */
    static int runToItsEnd(Path jar, Map<String, String> environment, Path console, Duration within)
            throws IOException, InterruptedException {
        Process guardian = guarded(jar, environment, freePort(), console);
        try {
            if (!guardian.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the packaged server was still running after " + within);
            }
            return guardian.exitValue();
        } finally {
            new PackagedServer(guardian, 0, console).close();
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri("/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** GET with a bearer token (none when null). */
    HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET();
        return send(token == null ? request : request.header("Authorization", "Bearer " + token));
    }

    HttpResponse<String> postJson(String path, String token, String json) {
        return send(jsonPost(path, token, json));
    }

    /** A POST within the caller's trace: {@code traceparent} is its W3C header. */
    HttpResponse<String> postJson(String path, String token, String json, String traceparent) {
        return send(jsonPost(path, token, json).header("traceparent", traceparent));
    }

    private HttpRequest.Builder jsonPost(String path, String token, String json) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What the server printed so far. */
    String console() {
        try {
            return Files.exists(console) ? Files.readString(console, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the guardian's pipe: the server is sent SIGTERM (SIGKILL after a minute); waits for the end. */
    @Override
    public void close() {
        try {
            guardian.getOutputStream().close();
        } catch (IOException e) {
            guardian.destroy();
        }
        try {
            if (!guardian.waitFor(2, TimeUnit.MINUTES)) {
                guardian.descendants().forEach(ProcessHandle::destroyForcibly);
                guardian.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The jar under the guardian, on {@code port}; returns once the guardian said it started it. */
    private static Process guarded(Path jar, Map<String, String> environment, int port, Path console) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of("setsid", "bash", "-c", guardianScript(), "guarded-process.sh"));
        command.addAll(List.of(java, "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("JOBSTATE_") || name.startsWith("MP_JWT_"));
        builder.environment().putAll(environment);
        builder.environment().put("JOBSTATE_HTTP_PORT", Integer.toString(port));
        builder.environment().put("GUARDED_LOG", console.toString());
        Process guardian = builder.start();
        String started = new BufferedReader(new InputStreamReader(guardian.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (started == null || !started.startsWith("STARTED ")) {
            guardian.destroyForcibly();
            throw new IllegalStateException("the guardian said " + started);
        }
        return guardian;
    }

    private static String guardianScript() throws IOException {
        try (InputStream in = PackagedServer.class.getResourceAsStream(GUARDIAN)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
