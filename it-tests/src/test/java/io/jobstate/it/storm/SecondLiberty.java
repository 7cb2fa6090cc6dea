package io.jobstate.it.storm;

import static org.awaitility.Awaitility.await;

import io.jobstate.it.FolderCopy;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * A second Open Liberty server next to the one Arquillian manages: same runtime, same
 * configuration and database, the same application, another port. It runs under a guardian
 * script whose standard input is a pipe from this JVM, so it never outlives the test run — also
 * when the JVM is killed. Tests may kill it with SIGKILL ({@link #killHard()}) and start it again.
 * Not thread-safe: one test drives it.
 */
public final class SecondLiberty implements AutoCloseable {

    private static final String SCRIPT = "guarded-process.sh";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Path wlp;
    private final Path serverDir;
    private final int port;
    private Process guardian;
    private long libertyPid;

    private SecondLiberty(Path wlp, Path serverDir, int port) {
        this.wlp = wlp;
        this.serverDir = serverDir;
        this.port = port;
    }

    /** Creates the server from the first one's configuration, deploys {@code war} and starts it (ready when this returns). */
    public static SecondLiberty start(WebArchive war) {
        return start(war, "2", Map.of());
    }

    /**
     * The same, as server {@code <first>-<suffix>}, with server.xml {@code variables} on top of the
     * first one's (a configDropins override read after the copied ones): e.g. another database.
     */
    public static SecondLiberty start(WebArchive war, String suffix, Map<String, String> variables) {
        Path wlp = Path.of(System.getProperty("jobstate.it.wlp"));
        Path first = wlp.resolve("usr/servers").resolve(System.getProperty("jobstate.it.server"));
        Path dir = wlp.resolve("usr/servers").resolve(System.getProperty("jobstate.it.server") + "-" + suffix);
        int port = freePort();
        try {
            deleteTree(dir);
            // metrics/ holds the file server.xml includes to switch /metrics authentication off as on the first
            for (String part : List.of("server.xml", "server.env", "jdbc", "resources", "configDropins", "metrics")) {
                if (Files.exists(first.resolve(part))) {
                    FolderCopy.copyTree(first.resolve(part), dir.resolve(part));
                }
            }
            if (!variables.isEmpty()) {
                // overrides are read in name order: "zz-" comes after the copied test-database.xml
                StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<server>\n");
                variables.forEach((name, value) -> xml.append("  <variable name=\"").append(name).append("\" value=\"")
                        .append(value.replace("&", "&amp;").replace("\"", "&quot;")).append("\"/>\n"));
                xml.append("  <config updateTrigger=\"disabled\"/>\n</server>\n");
                Files.createDirectories(dir.resolve("configDropins/overrides"));
                Files.writeString(dir.resolve("configDropins/overrides/zz-" + suffix + ".xml"), xml.toString());
            }
            Files.writeString(dir.resolve("bootstrap.properties"), "jobstate.http.port=" + port + "\n");
            Files.createDirectories(dir.resolve("dropins"));
            war.as(ZipExporter.class).exportTo(dir.resolve("dropins/jobstate.war").toFile(), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SecondLiberty liberty = new SecondLiberty(wlp, dir, port);
        liberty.launch();
        return liberty;
    }

    public int port() {
        return port;
    }

    /** SIGKILL to the server's JVM: no shutdown hook, no graceful close of anything. */
    public void killHard() throws InterruptedException {
        ProcessHandle.of(libertyPid).ifPresent(ProcessHandle::destroyForcibly);
        if (!guardian.waitFor(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the killed server's guardian did not end");
        }
    }

    /** Starts the server again after {@link #killHard()}; ready when this returns. */
    public void restart() {
        launch();
    }

    /** Starts the server and waits until it is ready; if it never is, stops it again before failing. */
    private void launch() {
        try {
            startGuardian();
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(this::ready);
        } catch (RuntimeException e) {
            try {
                close();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                e.addSuppressed(interrupted);
            }
            throw e;
        }
    }

    private void startGuardian() {
        ProcessBuilder builder = new ProcessBuilder(command(wlp.resolve("bin/server").toString(), "run", serverDir.getFileName().toString()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("GUARDED_LOG", serverDir.resolve("guarded-console.log").toString());
        builder.redirectErrorStream(true);
        try {
            guardian = builder.start();
            BufferedReader output = new BufferedReader(new InputStreamReader(guardian.getInputStream(), StandardCharsets.UTF_8));
            String line = output.readLine();
            if (line == null || !line.startsWith("STARTED ")) {
                throw new IllegalStateException("the guardian of " + serverDir.getFileName() + " said " + line);
            }
            libertyPid = Long.parseLong(line.substring("STARTED ".length()).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the server answers its readiness check with 200. */
    public boolean ready() {
        try {
            HttpResponse<Void> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return answer.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (guardian == null || !guardian.isAlive()) {
            return;
        }
        try {
            guardian.getOutputStream().close();
        } catch (IOException e) {
            guardian.destroy();
        }
        if (!guardian.waitFor(2, TimeUnit.MINUTES)) {
            guardian.destroyForcibly();
            ProcessHandle.of(libertyPid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static List<String> command(String... arguments) {
        String script;
        try (InputStream in = SecondLiberty.class.getResourceAsStream(SCRIPT)) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // a session of its own: a Ctrl-C in the terminal reaches the JVM, whose exit then closes the pipe
        return Stream.concat(Stream.of("setsid", "bash", "-c", script, SCRIPT), Stream.of(arguments)).toList();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}
