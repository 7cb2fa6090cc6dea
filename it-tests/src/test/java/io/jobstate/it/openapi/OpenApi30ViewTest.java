package io.jobstate.it.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The 3.0 view says what the 3.1 document says, or refuses. */
class OpenApi30ViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aNullableTypeListBecomesANullableType() throws Exception {
        JsonNode view = OpenApi30View.of(document("""
                {"Job": {"type": "object", "properties": {
                    "result": {"type": ["object", "null"]}, "error": {"type": ["string"]}, "type": {"type": "string"}}}}"""));

        JsonNode properties = view.at("/components/schemas/Job/properties");
        assertThat(view.get("openapi").asText()).isEqualTo("3.0.3");
        assertThat(properties.get("result").get("type").asText()).isEqualTo("object");
        assertThat(properties.get("result").get("nullable").asBoolean()).isTrue();
        assertThat(properties.get("error").get("type").asText()).isEqualTo("string");
        assertThat(properties.get("error").has("nullable")).isFalse();
        assertThat(properties.get("type").get("type").asText()).as("a property named type is a name, not a keyword").isEqualTo("string");
    }

    @Test
    void aNumericExclusiveBoundBecomesTheBooleanForm() throws Exception {
        JsonNode view = OpenApi30View.of(document("""
                {"Seq": {"type": "integer", "exclusiveMinimum": 0}}"""));

        assertThat(view.at("/components/schemas/Seq/minimum").asInt()).isZero();
        assertThat(view.at("/components/schemas/Seq/exclusiveMinimum").asBoolean()).isTrue();
    }

    @Test
    void whatOpenApi30CannotSayIsRefused() {
        // the history's answer as first served: a $ref beside type: array, with no items
        assertThatThrownBy(() -> OpenApi30View.of(document("""
                {"History": {"$ref": "#/components/schemas/HistoryEntry", "type": "array"}}""")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$ref with siblings");
        assertThatThrownBy(() -> OpenApi30View.of(document("""
                {"Id": {"type": ["string", "integer"]}}"""))).hasMessageContaining("type");
        assertThatThrownBy(() -> OpenApi30View.of(document("""
                {"Only": {"type": "string", "const": "x"}}"""))).hasMessageContaining("const");
        assertThatThrownBy(() -> OpenApi30View.of(document("""
                {"Listed": {"type": "string", "examples": ["x"]}}"""))).hasMessageContaining("examples");
    }

    @Test
    void aDocumentThatIsNot31IsRefused() {
        assertThatThrownBy(() -> OpenApi30View.of(JSON.readTree("{\"openapi\": \"3.0.3\"}")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static JsonNode document(String schemas) throws Exception {
        return JSON.readTree("{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {},"
                + " \"components\": {\"schemas\": " + schemas + "}}");
    }
}
