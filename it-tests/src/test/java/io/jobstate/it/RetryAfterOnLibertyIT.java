package io.jobstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.it.coordinator.CoordinatorApp;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * coordinator-client inside an application on Open Liberty, whose Fault Tolerance is Liberty's own
 * (not SmallRye's): a job endpoint that answers 503 with {@code Retry-After: 2} twice is retried no
 * sooner than it asked, with the operation's one Idempotency-Key, until the operation succeeds.
 */
class RetryAfterOnLibertyIT extends LibertyTest {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return CoordinatorApp.war(Integer.getInteger("jobstate.it.port"));
    }

    @Test
    void attemptsWaitForRetryAfterAndShareOneKeyUntilTheOperationSucceeds() {
        UUID id = UUID.randomUUID();

        HttpResponse<String> started = send(HttpRequest.newBuilder(uri("coordinator/jobs/" + id + "/start"))
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        assertThat(json(started.body()).asJsonObject().getString("result")).isEqualTo("Applied");
        JsonArray attempts = json(send(HttpRequest.newBuilder(uri("stub/api/jobs/" + id + "/attempts")).GET()).body())
                .asJsonArray();
        List<Duration> gaps = gaps(attempts);
        // the figure the test is about, also when it passes (as the storm tests print theirs)
        System.out.printf("retry-after on Liberty: attempt gaps ms=%s%n", gaps.stream().map(Duration::toMillis).toList());
        assertThat(attempts).extracting(a -> a.asJsonObject().getInt("status")).containsExactly(503, 503, 200);
        assertThat(attempts).extracting(a -> a.asJsonObject().getString("idempotencyKey"))
                .doesNotContain("null").containsOnly(attempts.getJsonObject(0).getString("idempotencyKey"));
        assertThat(gaps).as("gaps between attempts").allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(Duration.ofSeconds(2)));
    }

    private static List<Duration> gaps(JsonArray attempts) {
        List<Duration> gaps = new ArrayList<>();
        for (int i = 1; i < attempts.size(); i++) {
            gaps.add(Duration.ofNanos(attempts.getJsonObject(i).getJsonNumber("receivedNanos").longValue()
                    - attempts.getJsonObject(i - 1).getJsonNumber("receivedNanos").longValue()));
        }
        return gaps;
    }

    private URI uri(String path) {
        return URI.create(base.toString()).resolve(path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return Http.CLIENT.send(request.timeout(Http.TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonValue json(String body) {
        return Json.createReader(new StringReader(body)).readValue();
    }
}
