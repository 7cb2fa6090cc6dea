package io.jobstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.it.openapi.GeneratedClient;
import java.net.URLClassLoader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Logger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Teams that do not use coordinator-client integrate through the OpenAPI document: a client
 * generated from the document this server serves, as docs/client.md tells a team to generate it,
 * compiles and drives a job's whole life unmodified (the journey is
 * src/test/generated-client/…/GeneratedClientJourney.java, compiled with the generated code).
 */
class GeneratedClientIT extends LibertyTest {

    private static final Logger LOG = Logger.getLogger(GeneratedClientIT.class.getName());

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.jobstate();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aClientGeneratedFromTheServedDocumentDrivesAJobsWholeLife() throws Exception {
        Path folder = Path.of(System.getProperty("jobstate.it.generated-client"));
        GeneratedClient client = new GeneratedClient(folder);
        HttpResponse<String> served = Http.getFromServer(base, "/openapi?format=JSON");
        assertThat(served.statusCode()).isEqualTo(200);
        Path document = Files.writeString(Files.createDirectories(folder).resolve("openapi.json"), served.body());

        long started = System.nanoTime();
        Path sources = client.generate(Path.of(System.getProperty("jobstate.it.openapi-generator")), document);
        long generated = System.nanoTime();
        String classpath = Files.readString(Path.of(System.getProperty("jobstate.it.test-classpath"))).strip();
        try (URLClassLoader loader = client.compile(List.of(sources, Path.of(System.getProperty("jobstate.it.journey-sources"))),
                classpath, getClass().getClassLoader())) {
            long compiled = System.nanoTime();
            LOG.info(() -> "generated in " + (generated - started) / 1_000_000 + " ms, compiled in "
                    + (compiled - generated) / 1_000_000 + " ms");
            Function<Map<String, String>, List<String>> journey = (Function<Map<String, String>, List<String>>)
                    loader.loadClass("io.jobstate.it.journey.GeneratedClientJourney").getConstructor().newInstance();

            List<String> steps = journey.apply(Map.of("server", base.toString().replaceAll("/+$", ""),
                    "coordinator", DevTokens.forRole("coordinator"), "viewer", DevTokens.forRole("viewer")));

            assertThat(steps).containsExactly("create", "list", "run", "conflicts", "complete", "history", "events", "roles");
        }
    }
}
