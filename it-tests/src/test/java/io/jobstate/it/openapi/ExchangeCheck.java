package io.jobstate.it.openapi;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Holds one HTTP exchange with the service against the OpenAPI document the service itself serves
 * ({@code GET /openapi}, read once per server), with Atlassian's swagger-request-validator over the
 * document's 3.0 view ({@link OpenApi30View}). The rules:
 * <ul>
 *   <li>a request the document allows gets an answer the document describes: a documented status
 *       code, its media type, a body valid against its schema, and its required headers (ETag,
 *       Location, Retry-After …) in their documented form;</li>
 *   <li>a request the document refuses (a bound, a type, a missing required header, an unknown path
 *       or method …) gets a 4xx problem: never accepted (that would be a document stricter than the
 *       service), and described by the document when the operation documents that status, else at
 *       least an RFC 9457 problem ({@code application/problem+json} with {@code type}, {@code title}
 *       and the same {@code status}), as docs/api.md promises for every error.</li>
 * </ul>
 * A request the document allows but the service refuses with 400 is not a violation: some of the
 * contract's rules (a blank type, a member named twice, {@code result} without COMPLETED) are not
 * expressible in a schema. Thread-safe: the validator is immutable once built.
 */
public final class ExchangeCheck {

    private static final Map<URI, ExchangeCheck> BY_SERVER = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    /** The validator's keys for a request on no operation of the document. */
    private static final List<String> OUTSIDE = List.of("validation.request.path.missing", "validation.request.operation.notAllowed");
    private static final String UNDOCUMENTED_STATUS = "validation.response.status.unknown";

    private final OpenApiInteractionValidator validator;

    private ExchangeCheck(JsonNode document) {
        this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(OpenApi30View.of(document).toString()).build();
    }

    /** The check for the server at {@code root} (scheme, host and port), against the document it serves. */
    public static ExchangeCheck of(URI root) {
        return BY_SERVER.computeIfAbsent(root, server -> new ExchangeCheck(served(server)));
    }

    /** The check against {@code document} (an OpenAPI 3.1 document as JSON), e.g. to see it fail. */
    public static ExchangeCheck against(String document) {
        try {
            return new ExchangeCheck(JSON.readTree(document));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks the exchange and counts it ({@link ExchangeTally}); a violation fails the test. */
    public void verify(HttpRequest request, String requestBody, HttpResponse<String> response) {
        Verdict verdict = verdict(request, requestBody, response);
        ExchangeTally.record(verdict);
        if (!verdict.violations().isEmpty()) {
            throw new AssertionError("the exchange contradicts the served OpenAPI document: " + request.method() + " "
                    + request.uri() + " -> " + response.statusCode() + " " + response.body() + "\n  "
                    + String.join("\n  ", verdict.violations()));
        }
    }

    /** What the document says about one exchange. */
    public record Verdict(Kind kind, List<String> violations) {
    }

    /** How much of an exchange the document describes. */
    public enum Kind {
        /** The request is one the document allows: the answer is checked in full. */
        ALLOWED,
        /** The document refuses the request (a bound, a type, a required header …): the answer must be a 4xx problem. */
        REFUSED,
        /** No operation of the document has this path or method: the answer must be a 4xx problem. */
        OUTSIDE
    }

    public Verdict verdict(HttpRequest request, String requestBody, HttpResponse<String> response) {
        Request asked;
        try {
            asked = request(request, requestBody);
        } catch (IllegalArgumentException e) {
            // the validator cannot even read the request (a charset no JVM knows): no document allows it
            return new Verdict(Kind.REFUSED, refusal(response, e.toString()));
        }
        ValidationReport requestReport = validator.validateRequest(asked);
        List<String> violations = new ArrayList<>();
        if (OUTSIDE.stream().anyMatch(key -> has(requestReport, key))) {
            violations.addAll(refusal(response, "no operation of the document"));
            return new Verdict(Kind.OUTSIDE, violations);
        }
        ValidationReport responseReport = validator.validateResponse(asked.getPath(), asked.getMethod(), response(response));
        if (!requestReport.hasErrors()) {
            violations.addAll(errors(responseReport));
            return new Verdict(Kind.ALLOWED, violations);
        }
        String why = String.join("; ", errors(requestReport));
        violations.addAll(refusal(response, why));
        if (!has(responseReport, UNDOCUMENTED_STATUS)) {
            violations.addAll(errors(responseReport));
        }
        return new Verdict(Kind.REFUSED, violations);
    }

    /** An answer to a request the document refuses: a 4xx RFC 9457 problem. */
    private static List<String> refusal(HttpResponse<String> response, String why) {
        List<String> violations = new ArrayList<>();
        int status = response.statusCode();
        if (status < 400 || status > 499) {
            violations.add("the document refuses the request (" + why + "), but the service answered " + status);
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/problem+json")) {
            violations.add("an error answered as '" + type + "', not application/problem+json");
            return violations;
        }
        try {
            JsonNode problem = JSON.readTree(response.body());
            if (!problem.path("type").isTextual() || !problem.path("title").isTextual() || problem.path("status").asInt() != status) {
                violations.add("not a problem of status " + status + " with type and title: " + response.body());
            }
        } catch (IOException e) {
            violations.add("a problem body that is not JSON: " + response.body());
        }
        return violations;
    }

    private static Request request(HttpRequest request, String body) {
        URI uri = request.uri();
        SimpleRequest.Builder built = new SimpleRequest.Builder(request.method(), uri.getRawPath());
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                built.withQueryParam(name, decode(equals < 0 ? "" : pair.substring(equals + 1)));
            }
        }
        request.headers().map().forEach(built::withHeader);
        if (body != null && !body.isEmpty()) {
            built.withBody(body);
        }
        return built.build();
    }

    private static com.atlassian.oai.validator.model.Response response(HttpResponse<String> response) {
        SimpleResponse.Builder built = SimpleResponse.Builder.status(response.statusCode());
        response.headers().map().forEach(built::withHeader);
        if (!response.body().isEmpty()) {
            built.withBody(response.body());
        }
        return built.build();
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static boolean has(ValidationReport report, String key) {
        return report.getMessages().stream().anyMatch(m -> m.getKey().equals(key));
    }

    private static List<String> errors(ValidationReport report) {
        return report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> m.getKey() + ": " + m.getMessage())
                .collect(Collectors.toList());
    }

    private static JsonNode served(URI server) {
        try {
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(server.resolve("/openapi?format=JSON"))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /openapi answered " + response.statusCode());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
