package io.jobstate.it.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The served OpenAPI 3.1 document, rewritten as the OpenAPI 3.0 document that means the same, for
 * the exchange validator: Atlassian's swagger-request-validator (2.44.1, and 2.46.1, the newest that
 * resolves) reads a 3.1 document but ignores its {@code type} keywords (a path parameter of
 * {@code type: string} is parsed as JSON, {@code type: [object, "null"]} accepts a number), and no
 * well-kept Java request/response validator for 3.1 resolves here. Hand-written because the rewrite
 * is small and exact for what the document uses: {@code openapi} becomes 3.0.3, {@code type: [T, "null"]}
 * becomes {@code type: T, nullable: true}, and a numeric {@code exclusiveMinimum}/{@code exclusiveMaximum}
 * becomes the 3.0 boolean form. Any other construct 3.0 cannot say (a type list of two types,
 * {@code const}, {@code prefixItems}, {@code $ref} with constraining siblings, …) is refused with
 * {@link IllegalArgumentException}, so the document cannot drift into something the validator
 * would silently let through. Thread-safe (stateless).
 */
public final class OpenApi30View {

    /** Schema keywords of JSON Schema 2020-12 that OpenAPI 3.0's schema object does not have. */
    private static final Set<String> NOT_IN_30 = Set.of("const", "prefixItems", "if", "then", "else", "dependentRequired",
            "dependentSchemas", "unevaluatedProperties", "unevaluatedItems", "$defs", "contentMediaType",
            "contentEncoding", "contains", "propertyNames", "$schema", "$id", "$anchor", "$dynamicRef", "$dynamicAnchor",
            "patternProperties");
    /** Members whose value maps names (of properties, media types, status codes, …) to objects: their keys are not keywords. */
    private static final Set<String> NAMED_MAPS = Set.of("properties", "schemas", "responses", "headers", "parameters",
            "paths", "content", "examples", "encoding", "links", "callbacks", "securitySchemes", "variables",
            "requestBodies", "mapping", "pathItems");
    /** Siblings of {@code $ref} that 3.0 may ignore without changing what is valid. */
    private static final Set<String> HARMLESS_REF_SIBLINGS = Set.of("$ref", "description", "summary");

    private OpenApi30View() {
    }

    /** A 3.0 copy of {@code document} (a 3.1 document, as JSON); the argument is not changed. */
    public static ObjectNode of(JsonNode document) {
        ObjectNode copy = document.deepCopy();
        String version = copy.path("openapi").asText();
        if (!version.startsWith("3.1")) {
            throw new IllegalArgumentException("not an OpenAPI 3.1 document: openapi " + version);
        }
        copy.put("openapi", "3.0.3");
        copy.remove(List.of("webhooks", "jsonSchemaDialect"));
        List<String> refused = new ArrayList<>();
        rewrite(copy, "#", false, refused);
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("OpenAPI 3.0 cannot say what the document says at " + refused);
        }
        return copy;
    }

    private static void rewrite(JsonNode node, String where, boolean namesOnly, List<String> refused) {
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                rewrite(array.get(i), where + "/" + i, false, refused);
            }
        } else if (node instanceof ObjectNode object) {
            if (!namesOnly) {
                rewriteKeywords(object, where, refused);
            }
            for (Map.Entry<String, JsonNode> member : object.properties()) {
                boolean names = !namesOnly && NAMED_MAPS.contains(member.getKey());
                rewrite(member.getValue(), where + "/" + member.getKey(), names, refused);
            }
        }
    }

    private static void rewriteKeywords(ObjectNode object, String where, List<String> refused) {
        if (object.get("type") instanceof ArrayNode types) {
            List<String> named = new ArrayList<>();
            types.forEach(t -> named.add(t.asText()));
            boolean nullable = named.remove("null");
            if (named.size() == 1) {
                object.put("type", named.getFirst());
                if (nullable) {
                    object.put("nullable", true);
                }
            } else {
                refused.add(where + " (type " + types + ")");
            }
        }
        exclusiveBound(object, "exclusiveMinimum", "minimum");
        exclusiveBound(object, "exclusiveMaximum", "maximum");
        if (object.has("$ref") && !HARMLESS_REF_SIBLINGS.containsAll(names(object))) {
            refused.add(where + " ($ref with siblings " + names(object) + ")");
        }
        names(object).stream().filter(NOT_IN_30::contains).forEach(keyword -> refused.add(where + "/" + keyword));
        if (object.get("examples") instanceof ArrayNode) {
            // a schema's list of examples (3.1); a media type's or parameter's examples are a map, as in 3.0
            refused.add(where + "/examples");
        }
    }

    private static void exclusiveBound(ObjectNode object, String exclusive, String bound) {
        if (object.has(exclusive) && object.get(exclusive).isNumber()) {
            object.set(bound, object.get(exclusive));
            object.put(exclusive, true);
        }
    }

    private static List<String> names(ObjectNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
