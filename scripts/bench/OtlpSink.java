import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The collector of {@code ./jobstate bench}'s tracing cell: an OTLP/HTTP endpoint on a free loopback
 * port (written to the file named by the first argument) that takes every export, answers 200 and
 * keeps nothing but counts; {@code GET /count} answers "trace-exports bytes". It runs in a process of
 * its own, so the service's JVM CPU figure holds only what tracing costs the service. Runs until it
 * is killed.
 */
public final class OtlpSink {

    public static void main(String[] args) throws IOException {
        AtomicLong exports = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/v1/traces", exchange -> {
            bytes.addAndGet(drain(exchange));
            exports.incrementAndGet();
            answer(exchange, "");
        });
        server.createContext("/count", exchange -> answer(exchange, exports.get() + " " + bytes.get()));
        server.createContext("/", exchange -> {
            drain(exchange);
            answer(exchange, "");
        });
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        Files.writeString(Path.of(args[0]), Integer.toString(server.getAddress().getPort()));
    }

    private static long drain(HttpExchange exchange) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            return body.transferTo(OutputStream.nullOutputStream());
        }
    }

    /** An empty protobuf message is an empty body: a valid export response. */
    private static void answer(HttpExchange exchange, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", text.isEmpty() ? "application/x-protobuf" : "text/plain");
        exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
