package io.jobstate.rest.jobs;

import io.jobstate.rest.support.Jsonp;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.TreeMap;

/**
 * JSON text with every object's members in name order, so that one value has one text: a retry
 * that sends the same payload with its members in another order is the same request.
 */
final class CanonicalJson {

    private CanonicalJson() {
    }

    static String of(JsonValue value) {
        return sorted(value).toString();
    }

    private static JsonValue sorted(JsonValue value) {
        return switch (value.getValueType()) {
            case OBJECT -> {
                JsonObjectBuilder builder = Jsonp.object();
                new TreeMap<>(value.asJsonObject()).forEach((name, member) -> builder.add(name, sorted(member)));
                yield builder.build();
            }
            case ARRAY -> {
                JsonArrayBuilder builder = Jsonp.array();
                value.asJsonArray().forEach(element -> builder.add(sorted(element)));
                yield builder.build();
            }
            default -> value;
        };
    }
}
