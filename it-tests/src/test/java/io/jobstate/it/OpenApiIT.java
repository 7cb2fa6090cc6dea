package io.jobstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.JobStatus;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** The OpenAPI document is served, open, documents every status code, and derives statuses from the code. */
class OpenApiIT extends LibertyTest {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.jobstate();
    }

    @Test
    void everyTransitionStatusCodeIsDocumentedWithTheProblemSchema() throws Exception {
        JsonObject document = document();
        JsonObject transitions = path(document, "/api/jobs/{id}/transitions").getJsonObject("post");

        assertThat(transitions.getJsonObject("responses").keySet())
                .containsExactlyInAnyOrder("200", "400", "401", "403", "404", "409", "412", "413", "415", "503");
        JsonObject conflict = document.getJsonObject("components").getJsonObject("responses").getJsonObject("Conflict");
        assertThat(conflict.getJsonObject("content").keySet()).containsExactly("application/problem+json");
        assertThat(path(document, "/api/jobs").getJsonObject("post").getJsonObject("responses").keySet())
                .contains("201", "400", "409", "413", "415");
    }

    @Test
    void theEventFeedAndItsStreamsAreDocumentedWithGone() throws Exception {
        JsonObject document = document();

        for (String path : new String[] {"/api/events", "/api/events/stream", "/api/jobs/{id}/events/stream"}) {
            assertThat(path(document, path).getJsonObject("get").getJsonObject("responses").keySet()).as(path)
                    .contains("200", "400", "401", "410");
        }
        assertThat(path(document, "/api/events/stream").getJsonObject("get").getJsonObject("responses")
                .getJsonObject("200").getJsonObject("content").keySet()).containsExactly("text/event-stream");
        assertThat(document.getJsonObject("components").getJsonObject("schemas").getJsonObject("JobEvent")
                .getJsonArray("required").getValuesAs(JsonString.class)).extracting(JsonString::getString)
                .containsExactly("seq", "jobId", "from", "to", "version", "at");
    }

    @Test
    void theDocumentedStatusesAreExactlyTheCodes() throws Exception {
        JsonObject status = document().getJsonObject("components").getJsonObject("schemas").getJsonObject("JobStatus");

        assertThat(status.getJsonArray("enum").getValuesAs(JsonString.class)).extracting(JsonString::getString)
                .containsExactlyElementsOf(Arrays.stream(JobStatus.values()).map(Enum::name).toList());
    }

    @Test
    void theUserInterfaceIsServedWithoutCredentials() throws Exception {
        assertThat(get("/openapi/ui/").statusCode()).isEqualTo(200);
    }

    private JsonObject document() throws Exception {
        HttpResponse<String> response = get("/openapi?format=JSON");
        assertThat(response.statusCode()).isEqualTo(200);
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    private static JsonObject path(JsonObject document, String suffix) {
        return document.getJsonObject("paths").entrySet().stream()
                .filter(e -> e.getKey().endsWith(suffix))
                .map(Map.Entry::getValue).map(v -> v.asJsonObject())
                .findFirst().orElseThrow(() -> new AssertionError("no path ending " + suffix));
    }

    private HttpResponse<String> get(String path) {
        return Http.getFromServer(base, path);
    }
}
