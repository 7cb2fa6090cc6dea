package io.jobstate.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.it.DevTokens;
import io.jobstate.testing.postgres.PostgresExtension;
import io.jobstate.testing.postgres.TestDatabase;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * job-server's runnable jar, started as docs/operations.md ("Deploying") tells operators to:
 * {@code java -jar jobstate.jar} with the database and the token issuer in environment variables.
 * It must migrate a fresh database, become ready, apply a transition for a token of the configured
 * issuer, refuse the development key, and expose nothing the service does not use.
 */
@ExtendWith(PostgresExtension.class)
class DeployablePackageIT {

    private static Path work;
    private static PackagedServer server;
    private static TestIssuer issuer;
    private static int refusedExit;
    private static String refusedConsole;

    @BeforeAll
    static void startThePackage(TestDatabase database) throws Exception {
        work = PackagedServer.workFolder("jobstate-package-it");
        issuer = TestIssuer.create();
        Path key = issuer.writePublicKey(work.resolve("issuer-public-key.pem"));
        Path jar = Path.of(System.getProperty("jobstate.it.package"));
        assertThat(jar).as("the runnable jar job-server builds").isRegularFile();
        server = PackagedServer.start(jar, PackagedServer.environment(database, key, work.resolve("extract")),
                work.resolve("console.log"));
        // a second package on the same database and issuer, with empty database passwords
        Map<String, String> noPasswords = PackagedServer.environment(database, key, work.resolve("extract-refused"));
        noPasswords.put("JOBSTATE_DB_PASSWORD", "");
        noPasswords.put("JOBSTATE_DB_MIGRATION_PASSWORD", "");
        refusedExit = PackagedServer.runToItsEnd(jar, noPasswords, work.resolve("refused.log"), Duration.ofMinutes(3));
        refusedConsole = Files.readString(work.resolve("refused.log"));
    }

    @AfterAll
    static void stopThePackage() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            PackagedServer.deleteFolder(work);
        }
    }

    @Test
    void readyOnAMigratedSchemaAndAppliesATransitionForTheConfiguredIssuer() {
        String coordinator = issuer.token("coordinator");

        HttpResponse<String> ready = server.get("/health/ready", null);
        HttpResponse<String> created = server.postJson("/api/jobs", coordinator, "{\"type\": \"package-test\"}");
        String id = json(created).getString("id");
        HttpResponse<String> started = server.postJson("/api/jobs/" + id + "/transitions", coordinator,
                "{\"to\": \"RUNNING\", \"expectedStatus\": \"PENDING\"}");

        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        // the probes docs/operations.md gives an orchestrator
        assertThat(server.get("/health/live", null).statusCode()).isEqualTo(200);
        assertThat(server.get("/health/started", null).statusCode()).isEqualTo(200);
        assertThat(json(ready).getJsonArray("checks").getJsonObject(0).getJsonObject("data").getString("schema"))
                .isEqualTo("current");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        assertThat(json(started).getString("status")).isEqualTo("RUNNING");
        assertThat(json(started).getInt("version")).isEqualTo(1);
    }

    /** Without a keystore the package serves plain HTTP only, and /metrics to anyone (Prometheus's default scrape). */
    @Test
    void withoutAKeystoreItServesPlainHttpAndMetricsToAnyone() {
        HttpResponse<String> metrics = server.get("/metrics", null);
        if (metrics.statusCode() == 500) {
            metrics = server.get("/metrics", null); // Open Liberty 26.0.0.3 can answer the first one 500 (issue 35488)
        }

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jobstate_");
        assertThat(server.console()).as("no HTTPS endpoint started").doesNotContain("defaultHttpEndpoint-ssl");
    }

    @Test
    void emptyDatabasePasswordsAreRefusedAndTheServerStops() {
        assertThat(refusedExit).as("exit status (sysexits' EX_CONFIG)").isEqualTo(78);
        assertThat(refusedConsole).contains("jobstate refuses to start", "JOBSTATE_DB_PASSWORD", "JOBSTATE_DB_DEVELOPMENT=true");
    }

    @Test
    void theDevelopmentKeyIsNeverTrusted() {
        HttpResponse<String> answer = server.get("/api/jobs", DevTokens.forRole("coordinator"));

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(server.get("/api/jobs", issuer.token("viewer")).statusCode()).isEqualTo(200);
    }

    @Test
    void theRootShowsTheJobBoardWithLinksToTheApiAndHealth() {
        HttpResponse<String> page = server.get("/", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("board/main.js", "href=\"/openapi/ui\"", "href=\"/health\"");
    }

    @Test
    void runtimeEndpointsTheServiceDoesNotUseServeNothing() {
        // Arquillian's JMX connector (localConnector-1.0, and its REST form) is the tests' alone
        assertThat(server.get("/IBMJMXConnectorREST", null).statusCode()).isEqualTo(404);
        // the REST handler root and config that come with mpMetrics: HTTPS and an administrator only
        assertThat(server.get("/ibm/api/", null).statusCode()).isEqualTo(403);
        assertThat(server.get("/ibm/api/config", null).statusCode()).isEqualTo(403);
        // the JWT builder endpoint that comes with mpJwt: no builder, no key to publish
        HttpResponse<String> jwk = server.get("/jwt/ibm/api/defaultJWT/jwk", null);
        assertThat(jwk.body()).doesNotContain("\"kty\"");
        assertThat(server.get("/jwt/", null).statusCode()).isEqualTo(404);
    }

    @Test
    void startsWithoutTheTestConnectorOrAKeystoreAndLogsNoErrorsForRefusedEndpoints() {
        server.get("/ibm/api/", null);
        server.get("/jwt", null);

        String console = server.console();
        assertThat(console).contains("CWWKF0012I"); // the features it installed
        assertThat(console).doesNotContain("localConnector");
        // no keystore or self-signed certificate made at start (CWPKI0803A), no HTTPS redirect errors (CWWKS9113E)
        assertThat(console).doesNotContain("CWPKI0803A", "CWPKI0820A", "CWWKS9113E");
        assertThat(console).doesNotContainPattern("\\] E |\\[ERROR");
    }

    private static JsonObject json(HttpResponse<String> answer) {
        return Json.createReader(new StringReader(answer.body())).readObject();
    }
}
