package io.jobstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md is the contract: its per-operation status table lists exactly the operations of the
 * OpenAPI document the service serves, each with exactly the status codes documented there. The
 * served document is what counts (shared responses may come from annotations, openapi.yaml or a filter).
 */
class ContractDocumentIT extends LibertyTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.jobstate();
    }

    @Test
    void theContractsStatusTableEqualsTheServedOpenApiDocumentInBothDirections() {
        Map<String, Set<String>> documented = ContractTable.read(Path.of(System.getProperty("jobstate.it.contract")));
        Map<String, Set<String>> served = served();

        assertThat(served).as("operations in the served document").isNotEmpty();
        assertThat(ContractTable.differences(documented, served)).as("docs/api.md against GET /openapi").isEmpty();
    }

    /** "METHOD /path" to its response codes, paths as the application sees them (without a context root). */
    private Map<String, Set<String>> served() {
        HttpResponse<String> response = Http.getFromServer(base, "/openapi?format=JSON");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject paths = Json.createReader(new StringReader(response.body())).readObject().getJsonObject("paths");
        String contextRoot = base.getPath().replaceAll("/+$", "");
        Map<String, Set<String>> operations = new TreeMap<>();
        for (Map.Entry<String, JsonValue> path : paths.entrySet()) {
            String name = !contextRoot.isEmpty() && path.getKey().startsWith(contextRoot + "/")
                    ? path.getKey().substring(contextRoot.length()) : path.getKey();
            path.getValue().asJsonObject().forEach((method, operation) -> {
                if (METHODS.contains(method)) {
                    Set<String> codes = new TreeSet<>(operation.asJsonObject().getJsonObject("responses").keySet());
                    operations.put(method.toUpperCase(Locale.ROOT) + " " + name, codes);
                }
            });
        }
        return operations;
    }
}
