package io.jobstate.it;

import io.jobstate.it.openapi.ExchangeCheck;
import io.jobstate.it.openapi.RequestBodies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

/**
 * A small HTTP client for the tests (java.net.http): requests against the deployed application,
 * carrying a bearer token (a coordinator's unless another is given, none when null). Every exchange
 * it makes is held against the OpenAPI document the server serves ({@link ExchangeCheck}): an
 * answer the document does not describe fails the test, so the document cannot drift from the
 * service.
 */
public final class Http {

    /** HTTP/1.1: the default HTTP/2 upgrade attempt on plain http hangs on some of Liberty's endpoints. */
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(10)).build();
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String COORDINATOR = DevTokens.forRole("coordinator");

    private final URI api;
    private final String token;

    Http(URL base) {
        this(base, COORDINATOR);
    }

    Http(URL base, String token) {
        this.api = URI.create(base.toString()).resolve("api/");
        this.token = token;
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(api.resolve(path)).timeout(TIMEOUT);
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    HttpResponse<String> send(HttpRequest.Builder builder) {
        try {
            HttpRequest request = builder.build();
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            ExchangeCheck.of(URI.create(api.getScheme() + "://" + api.getRawAuthority())).verify(request, RequestBodies.text(request), response);
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The server's {@code /metrics}. The runtime's first answer there can be a 500 when the
     * request's session was invalidated under it (Open Liberty issue 35488, fixed after the
     * 26.0.0.3 used here): that one answer is asked again, once.
     */
    public static HttpResponse<String> metrics(URL base) {
        HttpResponse<String> metrics = getFromServer(base, "/metrics");
        return metrics.statusCode() == 500 ? getFromServer(base, "/metrics") : metrics;
    }

    /** The sum of the Prometheus lines of {@code metrics} that start with {@code prefix} and carry every label; 0 when none. */
    public static double counter(HttpResponse<String> metrics, String prefix, String... labels) {
        return metrics.body().lines()
                .filter(line -> line.startsWith(prefix) && Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** A request outside the API, at the server's root (health, metrics, OpenAPI). */
    public static HttpResponse<String> getFromServer(URL base, String path) {
        URI server = URI.create(base.getProtocol() + "://" + base.getHost() + ":" + base.getPort());
        try {
            return CLIENT.send(HttpRequest.newBuilder(server.resolve(path)).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    HttpResponse<String> postJson(String path, String json) {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }
}
