package io.jobstate.rest.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.rest.problem.Problem;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClaimBodyTest {

    private static final String JSON = "application/json";

    @Test
    void anEmptyBodyClaimsAnyTypeAtOnceWithTheConfiguredLease() {
        ClaimBody body = parse("{}", null);

        assertThat(body.request().types()).isEmpty();
        assertThat(body.request().leaseSeconds()).isEqualTo(45);
        assertThat(body.request().actor()).isEqualTo("worker-1");
        assertThat(body.waitFor()).isZero();
    }

    @Test
    void typesLeaseWaitAndKeyAreRead() {
        ClaimBody body = parse("{\"types\": [\"build\", \"test\"], \"leaseSeconds\": 120, \"waitSeconds\": 30}", "key-1");

        assertThat(body.request().types()).containsExactly("build", "test");
        assertThat(body.request().leaseSeconds()).isEqualTo(120);
        assertThat(body.request().idempotencyKey()).isEqualTo("key-1");
        assertThat(body.waitFor()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void everyBadMemberAndTheKeyAreNamedInOneBadRequest() {
        assertThat(errors("{\"types\": \"build\", \"waitSeconds\": 31, \"leaseSeconds\": 0}", " "))
                .containsExactlyInAnyOrder("types: must be an array of strings", "waitSeconds: must be between 0 and 30",
                        "leaseSeconds: must be between 1 and 86400", "Idempotency-Key: must not be blank");
        assertThat(errors("{\"types\": []}", null)).containsExactly("types: must hold 1 to 20 strings");
        assertThat(errors("{\"types\": [\"a\", 1]}", null)).containsExactly("types: must be an array of strings");
        assertThat(errors("{\"types\": [\"\"]}", null)).containsExactly("types: must not hold an empty type");
    }

    private static ClaimBody parse(String json, String key) {
        return ClaimBody.parse(json.getBytes(StandardCharsets.UTF_8), JSON, key, 45, "worker-1");
    }

    private static List<String> errors(String json, String key) {
        try {
            parse(json, key);
        } catch (Problem.Raised raised) {
            assertThat(raised.problem().status()).isEqualTo(400);
            JsonObject body = raised.problem().body();
            return body.getJsonArray("errors").stream().map(e -> e.asJsonObject().getString("field") + ": "
                    + e.asJsonObject().getString("message")).toList();
        }
        throw new AssertionError("no problem was raised");
    }
}
