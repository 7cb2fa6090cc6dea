package io.jobstate.rest.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobstate.rest.problem.Problem;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonRequestTest {

    private static final Set<String> MEMBERS = Set.of("to", "n", "result");

    @Test
    void knownMembersAreReadWithTheirTypes() {
        JsonRequest body = JsonRequest.parse("{\"to\": \"RUNNING\", \"n\": 7, \"result\": {\"b\": 1, \"a\": 2}}", MEMBERS);

        assertThat(body.string("to", true)).isEqualTo("RUNNING");
        assertThat(body.wholeNumber("n", 0, 10)).isEqualTo(7L);
        assertThat(body.object("result")).isEqualTo("{\"a\":2,\"b\":1}");
        assertThat(body.valid()).isTrue();
    }

    @Test
    void absentAndNullMembersAreAbsentUnlessRequired() {
        JsonRequest body = JsonRequest.parse("{\"n\": null}", MEMBERS);

        assertThat(body.wholeNumber("n", 0, 10)).isNull();
        assertThat(body.object("result")).isNull();
        assertThat(body.string("to", false)).isNull();
        assertThat(body.valid()).isTrue();
        assertThat(body.string("to", true)).isNull();
        assertThat(errors(body::requireValid)).containsExactly("to: is required");
    }

    @Test
    void everyWrongTypeAndUnknownMemberIsCollectedIntoOneBadRequest() {
        JsonRequest body = JsonRequest.parse("{\"to\": 1, \"n\": 2.5, \"result\": [1], \"extra\": true}", MEMBERS);

        body.string("to", true);
        body.wholeNumber("n", 0, 10);
        body.object("result");

        assertThat(errors(body::requireValid)).containsExactlyInAnyOrder("extra: is not a known member",
                "to: must be a string", "n: must be a whole number", "result: must be a JSON object");
    }

    @Test
    void aNumberOutsideItsBoundsIsAFieldError() {
        JsonRequest body = JsonRequest.parse("{\"n\": 11}", MEMBERS);

        assertThat(body.wholeNumber("n", 0, 10)).isNull();
        assertThat(errors(body::requireValid)).containsExactly("n: must be between 0 and 10");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "[]", "\"x\"", "{", "{\"to\": }", "{} {}", "{\"to\":\"A\",\"to\":\"B\"}", "nul"})
    void whatAReaderWouldAcceptSilentlyOrCannotReadIsABadRequest(String text) {
        assertThatThrownBy(() -> JsonRequest.parse(text, MEMBERS)).isInstanceOfSatisfying(Problem.Raised.class,
                raised -> assertThat(raised.problem().status()).isEqualTo(400));
    }

    @Test
    void aMemberNamedTwiceIsNamedInTheProblem() {
        assertThat(errors(() -> JsonRequest.parse("{\"result\": {\"a\": 1, \"a\": 2}}", MEMBERS)))
                .containsExactly("a: appears more than once");
    }

    @Test
    void nestingDeeperThanTheLimitIsRefusedAndTheLimitItselfIsNot() {
        String deepest = "{\"result\": " + "[".repeat(JsonRequest.MAX_DEPTH - 1) + "]".repeat(JsonRequest.MAX_DEPTH - 1) + "}";
        String tooDeep = "{\"result\": " + "[".repeat(JsonRequest.MAX_DEPTH) + "]".repeat(JsonRequest.MAX_DEPTH) + "}";

        assertThat(JsonRequest.parse(deepest, MEMBERS).valid()).isTrue();
        assertThat(errors(() -> JsonRequest.parse(tooDeep, MEMBERS))).singleElement().asString().contains("nested deeper");
    }

    @Test
    void numbersThatCannotBeReadBackAreRefused() {
        assertThat(errors(() -> JsonRequest.parse("{\"n\": 1e400}", MEMBERS))).singleElement().asString().contains("1e±300");
        assertThat(errors(() -> JsonRequest.parse("{\"n\": " + "1".repeat(101) + "}", MEMBERS))).hasSize(1);
        assertThat(JsonRequest.parse("{\"n\": 1e299}", MEMBERS).valid()).isTrue();
    }

    @Test
    void bodiesAreUtf8AndNothingElse() {
        byte[] text = "{\"to\": \"é\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(JsonRequest.utf8(text, "application/json")).isEqualTo("{\"to\": \"é\"}");
        assertThat(JsonRequest.utf8(text, "application/json; charset=UTF-8")).isEqualTo("{\"to\": \"é\"}");
        assertThat(JsonRequest.utf8(text, null)).isEqualTo("{\"to\": \"é\"}");
        assertThatThrownBy(() -> JsonRequest.utf8(text, "application/json; charset=ISO-8859-1"))
                .isInstanceOfSatisfying(Problem.Raised.class, raised -> assertThat(raised.problem().status()).isEqualTo(415));
        assertThat(errors(() -> JsonRequest.utf8(new byte[] {'{', (byte) 0xC3, '}'}, "application/json")))
                .containsExactly("body: is not valid UTF-8");
    }

    /** The field errors of the 400 problem {@code parsing} raises, as "field: message". */
    private static java.util.List<String> errors(Runnable parsing) {
        try {
            parsing.run();
        } catch (Problem.Raised raised) {
            assertThat(raised.problem().status()).isEqualTo(400);
            JsonObject body = raised.problem().body();
            return body.getJsonArray("errors").stream().map(e -> e.asJsonObject().getString("field") + ": "
                    + e.asJsonObject().getString("message")).toList();
        }
        throw new AssertionError("no problem was raised");
    }
}
