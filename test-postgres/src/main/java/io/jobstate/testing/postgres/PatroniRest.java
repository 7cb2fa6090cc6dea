package io.jobstate.testing.postgres;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Patroni's REST API on loopback: the cluster's state ({@code GET /cluster}) and a switchover
 * ({@code POST /switchover}, with the API's password). Every request is bounded: a frozen member's
 * API accepts the connection and then never answers. Thread-safe.
 */
final class PatroniRest implements AutoCloseable {

    /** Longer than Patroni's own answers take on a loaded machine, short enough to move on from a frozen member. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
    /** A switchover answers once the candidate has taken over (or Patroni gave up). */
    private static final Duration SWITCHOVER_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();
    private final String password;

    PatroniRest(String password) {
        this.password = password;
    }

    /** The cluster as the member on {@code restPort} sees it; empty when that member does not answer in time. */
    Optional<PatroniView> cluster(int restPort) {
        HttpRequest request = HttpRequest.newBuilder(uri(restPort, "/cluster")).timeout(READ_TIMEOUT).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(parse(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking Patroni on port " + restPort, e);
        }
    }

    /** Asks the leader (its API on {@code restPort}) to hand over to {@code candidate}; returns Patroni's answer. */
    String switchover(int restPort, String leader, String candidate) {
        String body = Json.createObjectBuilder().add("leader", leader).add("candidate", candidate).build().toString();
        String credentials = Base64.getEncoder().encodeToString(("patroni:" + password).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri(restPort, "/switchover")).timeout(SWITCHOVER_TIMEOUT)
                .header("Authorization", "Basic " + credentials).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("switchover " + leader + " → " + candidate + " refused ("
                        + response.statusCode() + "): " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("switchover " + leader + " → " + candidate + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a switchover", e);
        }
    }

    static PatroniView parse(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            JsonObject cluster = reader.readObject();
            return new PatroniView(cluster.getJsonArray("members").getValuesAs(JsonObject.class).stream()
                    .map(member -> new PatroniView.Member(member.getString("name"), member.getString("role", ""),
                            member.getString("state", ""), timeline(member)))
                    .toList());
        }
    }

    private static int timeline(JsonObject member) {
        JsonValue value = member.get("timeline");
        return value instanceof JsonNumber number ? number.intValue() : 0;
    }

    private static URI uri(int restPort, String path) {
        return URI.create("http://127.0.0.1:" + restPort + path);
    }

    @Override
    public void close() {
        http.close();
    }
}
