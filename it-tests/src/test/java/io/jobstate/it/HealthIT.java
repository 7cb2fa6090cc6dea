package io.jobstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

class HealthIT extends LibertyTest {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.jobstate();
    }

    @Test
    void readyOnceMigratedWithTheDatabaseAnsweringAndAlive() throws Exception {
        HttpResponse<String> ready = get("/health/ready");
        HttpResponse<String> live = get("/health/live");

        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        JsonObject readiness = Json.createReader(new StringReader(ready.body())).readObject();
        assertThat(readiness.getString("status")).isEqualTo("UP");
        assertThat(readiness.getJsonArray("checks").getJsonObject(0).getJsonObject("data").getString("schema"))
                .isEqualTo("current");
        assertThat(live.statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path) {
        return Http.getFromServer(base, path);
    }
}
