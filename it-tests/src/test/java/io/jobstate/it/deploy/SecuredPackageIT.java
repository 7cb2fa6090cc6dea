package io.jobstate.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.testing.postgres.PostgresExtension;
import io.jobstate.testing.postgres.TestDatabase;
import jakarta.json.Json;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The deployable package given a PKCS#12 keystore through the environment, as docs/operations.md
 * ("HTTPS") tells operators: with a certificate the test generates, it serves HTTPS with HTTP/2
 * (ALPN) on the HTTPS port, plain HTTP on the HTTP port still, and — with metrics authentication
 * switched on — {@code /metrics} to the configured reader only.
 */
@ExtendWith(PostgresExtension.class)
class SecuredPackageIT {

    private static final String METRICS_USER = "prometheus";
    private static final String METRICS_PASSWORD = "scrape-" + System.nanoTime();

    private static Path work;
    private static PackagedServer server;
    private static TestIssuer issuer;
    private static HttpClient https;
    private static int httpsPort;

    @BeforeAll
    static void startThePackageWithAKeystore(TestDatabase database) throws Exception {
        work = PackagedServer.workFolder("jobstate-secured-package-it");
        issuer = TestIssuer.create();
        TlsKeystore keystore = TlsKeystore.generate(work.resolve("tls.p12"), "keystore-" + System.nanoTime());
        httpsPort = PackagedServer.freePort();
        Map<String, String> environment = PackagedServer.environment(database,
                issuer.writePublicKey(work.resolve("issuer-public-key.pem")), work.resolve("extract"));
        environment.putAll(Map.of(
                "JOBSTATE_HTTPS_PORT", Integer.toString(httpsPort),
                "JOBSTATE_TLS_KEYSTORE", keystore.file().toString(),
                "JOBSTATE_TLS_KEYSTORE_PASSWORD", keystore.password(),
                "JOBSTATE_METRICS_AUTHENTICATION", "true",
                "JOBSTATE_METRICS_USER", METRICS_USER,
                "JOBSTATE_METRICS_PASSWORD", METRICS_PASSWORD));
        https = HttpClient.newBuilder().sslContext(keystore.clientContext()).version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(10)).build();
        server = PackagedServer.start(Path.of(System.getProperty("jobstate.it.package")), environment, work.resolve("console.log"));
    }

    @AfterAll
    static void stopThePackage() throws Exception {
        try {
            if (https != null) {
                https.close();
            }
            if (server != null) {
                server.close();
            }
        } finally {
            PackagedServer.deleteFolder(work);
        }
    }

    @Test
    void theApiAnswersOverHttpsWithHttp2() throws Exception {
        String coordinator = issuer.token("coordinator");

        HttpResponse<String> ready = send(get("/health/ready"));
        HttpResponse<String> created = send(HttpRequest.newBuilder(secure("/api/jobs")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + coordinator).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"over-tls\"}")));
        String id = Json.createReader(new StringReader(created.body())).readObject().getString("id");
        HttpResponse<String> conflict = send(HttpRequest.newBuilder(secure("/api/jobs/" + id + "/transitions"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + coordinator)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\": \"COMPLETED\"}")));

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.version()).as("HTTP/2 negotiated over TLS (ALPN)").isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location).startsWith("https://"));
        assertThat(conflict.statusCode()).isEqualTo(409);
    }

    @Test
    void plainHttpStillAnswersOnTheHttpPort() {
        assertThat(server.get("/health/ready", null).statusCode()).isEqualTo(200);
        assertThat(server.get("/api/jobs", issuer.token("viewer")).statusCode()).isEqualTo(200);
    }

    @Test
    void withMetricsAuthenticationOnlyTheConfiguredReaderReadsThemOverHttps() throws Exception {
        HttpResponse<String> anonymous = send(get("/metrics"));
        HttpResponse<String> wrong = send(get("/metrics").header("Authorization", basic(METRICS_USER, "not-the-password")));
        HttpResponse<String> reader = send(get("/metrics").header("Authorization", basic(METRICS_USER, METRICS_PASSWORD)));
        if (reader.statusCode() == 500) {
            reader = send(get("/metrics").header("Authorization", basic(METRICS_USER, METRICS_PASSWORD))); // OpenLiberty#35488
        }

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(reader.statusCode()).isEqualTo(200);
        assertThat(reader.body()).contains("jobstate_");
        assertThat(server.get("/metrics", null).statusCode()).as("not over plain HTTP").isNotEqualTo(200);
    }

    private static URI secure(String path) {
        return URI.create("https://localhost:" + httpsPort + path);
    }

    private static HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(secure(path)).timeout(Duration.ofSeconds(30)).GET();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return https.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
