package io.jobstate.rest.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    @Test
    void membersAreInNameOrderAtEveryDepthAndArraysKeepTheirOrder() {
        assertThat(CanonicalJson.of(read("{\"b\": {\"z\": 1, \"y\": [3, {\"d\": 1, \"c\": 2}]}, \"a\": null}")))
                .isEqualTo("{\"a\":null,\"b\":{\"y\":[3,{\"c\":2,\"d\":1}],\"z\":1}}");
    }

    @Test
    void oneValueHasOneTextWhateverTheOrderItWasSentIn() {
        assertThat(CanonicalJson.of(read("{\"x\": 1, \"y\": \"é\"}")))
                .isEqualTo(CanonicalJson.of(read("{ \"y\":\"é\",\n \"x\":1 }")));
    }

    private static JsonValue read(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readValue();
        }
    }
}
