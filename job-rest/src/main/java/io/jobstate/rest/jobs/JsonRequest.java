package io.jobstate.rest.jobs;

import io.jobstate.jobs.Violation;
import io.jobstate.rest.problem.Problem;
import io.jobstate.rest.support.Jsonp;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A JSON object body read strictly: it must be one well-formed object with only known members, and
 * each member is read with its type checked, every problem collected as a field error (400).
 * Not thread-safe; one per request.
 */
final class JsonRequest {

    private final JsonObject json;
    private final List<Violation> violations = new ArrayList<>();

    private JsonRequest(JsonObject json) {
        this.json = json;
    }

    /** Deeper JSON is refused: no job needs it, and parsers and jsonb have stack limits. */
    static final int MAX_DEPTH = 64;
    /**
     * Longer numbers (or exponents beyond ±{@value #MAX_EXPONENT}) are refused: PostgreSQL would
     * store them, but JSON readers, ours included, refuse to read such numbers back.
     */
    static final int MAX_NUMBER_LENGTH = 100;
    static final int MAX_EXPONENT = 300;

    /**
     * The body as UTF-8 text (JSON's encoding): another declared charset is 415, bytes that are not
     * UTF-8 are 400 — never silently replaced.
     */
    static String utf8(byte[] body, String contentType) {
        MediaType type;
        try {
            type = contentType == null ? MediaType.APPLICATION_JSON_TYPE : MediaType.valueOf(contentType);
        } catch (IllegalArgumentException e) {
            throw new Problem.Raised(Problem.of(Response.Status.UNSUPPORTED_MEDIA_TYPE, "The Content-Type is not understood."));
        }
        String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null && !charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
            throw new Problem.Raised(Problem.of(Response.Status.UNSUPPORTED_MEDIA_TYPE, "JSON bodies are UTF-8."));
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new Problem.Raised(Problem.badRequest("body", "is not valid UTF-8"));
        }
    }

    static JsonRequest parse(String text, Set<String> allowedMembers) {
        if (text == null || text.isBlank()) {
            throw new Problem.Raised(Problem.badRequest("body", "a JSON object is required"));
        }
        scan(text);
        JsonValue value;
        try (JsonReader reader = Jsonp.reader(new StringReader(text))) {
            value = reader.readValue();
        } catch (RuntimeException e) {
            throw new Problem.Raised(Problem.badRequest("body", "is not well-formed JSON"));
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new Problem.Raised(Problem.badRequest("body", "must be a JSON object"));
        }
        JsonRequest body = new JsonRequest(value.asJsonObject());
        for (String member : body.json.keySet()) {
            if (!allowedMembers.contains(member)) {
                body.violations.add(new Violation(member, "is not a known member"));
            }
        }
        return body;
    }

    /**
     * Rejects what a JSON reader would accept silently: a member named twice in one object (the
     * last would win) and nesting deeper than {@link #MAX_DEPTH}. Malformed text is left to the reader.
     */
    private static void scan(String text) {
        Deque<Set<String>> objects = new ArrayDeque<>();
        int depth = 0;
        try (JsonParser parser = Jsonp.parser(text)) {
            while (parser.hasNext()) {
                switch (parser.next()) {
                    case START_OBJECT -> {
                        objects.push(new HashSet<>());
                        depth++;
                    }
                    case START_ARRAY -> {
                        objects.push(Set.of());
                        depth++;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        objects.pop();
                        depth--;
                    }
                    case KEY_NAME -> {
                        if (!objects.peek().add(parser.getString())) {
                            throw new Problem.Raised(Problem.badRequest(parser.getString(), "appears more than once"));
                        }
                    }
                    case VALUE_NUMBER -> checkNumber(parser.getString());
                    default -> {
                        // other values need no check here
                    }
                }
                if (depth > MAX_DEPTH) {
                    throw new Problem.Raised(Problem.badRequest("body", "is nested deeper than " + MAX_DEPTH + " levels"));
                }
            }
        } catch (JsonException | java.util.NoSuchElementException | UnsupportedOperationException e) {
            throw new Problem.Raised(Problem.badRequest("body", "is not well-formed JSON"));
        }
    }

    private static void checkNumber(String number) {
        boolean storable = number.length() <= MAX_NUMBER_LENGTH;
        if (storable) {
            try {
                java.math.BigDecimal value = new java.math.BigDecimal(number);
                storable = Math.abs((long) value.scale()) <= MAX_EXPONENT
                        && Math.abs((long) value.precision() - value.scale()) <= MAX_EXPONENT;
            } catch (NumberFormatException | ArithmeticException e) {
                storable = false;
            }
        }
        if (!storable) {
            throw new Problem.Raised(Problem.badRequest("body",
                    "contains a number longer than " + MAX_NUMBER_LENGTH + " characters or beyond 1e±" + MAX_EXPONENT));
        }
    }

    String string(String member, boolean required) {
        JsonValue value = json.get(member);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            if (required) {
                violations.add(new Violation(member, "is required"));
            }
            return null;
        }
        if (value instanceof JsonString text) {
            return text.getString();
        }
        violations.add(new Violation(member, "must be a string"));
        return null;
    }

    Long wholeNumber(String member, long min, long max) {
        JsonValue value = json.get(member);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value instanceof JsonNumber number && number.isIntegral()) {
            try {
                long whole = number.bigIntegerValueExact().longValueExact();
                if (whole >= min && whole <= max) {
                    return whole;
                }
            } catch (ArithmeticException e) {
                // out of long's range: reported below
            }
            violations.add(new Violation(member, "must be between " + min + " and " + max));
            return null;
        }
        violations.add(new Violation(member, "must be a whole number"));
        return null;
    }

    /** A member that must be an array of at most {@code max} strings; null when absent. */
    List<String> strings(String member, int max) {
        JsonValue value = json.get(member);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (!(value instanceof jakarta.json.JsonArray array) || !array.stream().allMatch(JsonString.class::isInstance)) {
            violations.add(new Violation(member, "must be an array of strings"));
            return null;
        }
        if (array.isEmpty() || array.size() > max) {
            violations.add(new Violation(member, "must hold 1 to " + max + " strings"));
            return null;
        }
        return array.stream().map(item -> ((JsonString) item).getString()).toList();
    }

    /** A member that must be a JSON object, as canonical text; null when absent. */
    String object(String member) {
        JsonValue value = json.get(member);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value.getValueType() == JsonValue.ValueType.OBJECT) {
            return CanonicalJson.of(value);
        }
        violations.add(new Violation(member, "must be a JSON object"));
        return null;
    }

    /** Throws the collected field errors, if any, as one 400 problem. */
    void requireValid() {
        if (!violations.isEmpty()) {
            throw new Problem.Raised(Problem.badRequest(violations));
        }
    }

    /** Records a field error found outside this class (a value that is well-formed JSON but not acceptable). */
    void reject(String field, String message) {
        violations.add(new Violation(field, message));
    }

    /** Whether no field error was found so far. */
    boolean valid() {
        return violations.isEmpty();
    }
}
