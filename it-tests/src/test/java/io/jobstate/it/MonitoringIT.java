package io.jobstate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobstate.it.monitoring.PromQlNames;
import io.jobstate.it.monitoring.PrometheusServer;
import io.jobstate.it.monitoring.ShippedMonitoring;
import jakarta.json.Json;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * The shipped monitoring against the running service: every metric the Prometheus rules and the
 * Grafana dashboard read is one the service's {@code /metrics} exposes (or a rule records, or Prometheus
 * makes: {@code up}), and a real Prometheus scraping the instance evaluates every rule without error
 * and records values read back through its HTTP API.
 */
class MonitoringIT extends LibertyTest {

    /** Series Prometheus makes itself for each target. */
    private static final Set<String> MADE_BY_PROMETHEUS = Set.of("up");
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Deployment(testable = false)
    static WebArchive deployment() {
        // retention passes every second, so that its metrics exist when /metrics is read
        return Deployments.jobstate("cas", Map.of("jobstate.retention.interval", "PT1S"));
    }

    @Test
    void everyMetricTheRulesAndTheDashboardReadIsOneTheServiceExposes() throws Exception {
        Http http = new Http(base);
        aJobsLifeWithAConflict(http);
        await("a retention pass").atMost(PATIENCE).until(() -> exposedNames().contains("jobstate_retention_pass_seconds_count"));
        Set<String> exposed = exposedNames();
        Set<String> recorded = ShippedMonitoring.recordedNames();
        Map<String, String> expressions = new LinkedHashMap<>(ShippedMonitoring.ruleExpressions());
        expressions.putAll(ShippedMonitoring.dashboardQueries());

        assertThat(expressions.keySet()).anyMatch(where -> where.startsWith("rule ")).anyMatch(where -> where.startsWith("panel "))
                .anyMatch(where -> where.startsWith("variable "));
        assertThat(expressions).allSatisfy((where, expression) -> assertThat(PromQlNames.of(expression)).as(where).isNotEmpty());
        assertThat(unknownNames(expressions, exposed, recorded)).as("names read but exposed by nobody; exposed: %s", exposed).isEmpty();
        assertThat(unknownNames(Map.of("a misspelt metric", "rate(jobstate_transitions_total[5m])"), exposed, recorded))
                .as("the check itself").containsExactly("a misspelt metric: jobstate_transitions_total");
    }

    @Test
    void aRealPrometheusScrapingTheServiceRecordsTheShippedRules() throws Exception {
        Http http = new Http(base);
        aJobsLifeWithAConflict(http);
        try (PrometheusServer prometheus = PrometheusServer.scraping(base.getHost() + ":" + base.getPort(), ShippedMonitoring.RULES)) {
            await("recorded request rate above 0").atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                http.get("jobs?limit=1");
                assertThat(values(prometheus.query("job:jobstate_requests:rate5m"))).as(prometheus.log()).singleElement()
                        .satisfies(rate -> assertThat(rate).isPositive());
            });
            assertThat(values(prometheus.query("job:jobstate_ready:sum"))).containsExactly(1.0);
            assertThat(prometheus.targets()).singleElement()
                    .satisfies(target -> assertThat(target.path("health").asText()).as(target.toString()).isEqualTo("up"));
            await("every rule evaluated").atMost(PATIENCE).untilAsserted(() -> assertThat(prometheus.rules())
                    .hasSize(ShippedMonitoring.ruleExpressions().size())
                    .allSatisfy(rule -> assertThat(rule.path("health").asText()).as(rule.toString()).isEqualTo("ok")));
        }
    }

    private static Set<String> unknownNames(Map<String, String> expressions, Set<String> exposed, Set<String> recorded) {
        Set<String> unknown = new TreeSet<>();
        expressions.forEach((where, expression) -> PromQlNames.of(expression).stream()
                .filter(name -> name.contains(":") ? !recorded.contains(name) : !exposed.contains(name) && !MADE_BY_PROMETHEUS.contains(name))
                .forEach(name -> unknown.add(where + ": " + name)));
        return unknown;
    }

    /** The names of the samples /metrics answers (after each family's suffixes: _total, _count, _sum, _max). */
    private Set<String> exposedNames() {
        HttpResponse<String> metrics = Http.metrics(base);
        assertThat(metrics.statusCode()).isEqualTo(200);
        return metrics.body().lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<Double> values(List<JsonNode> vector) {
        return vector.stream().map(series -> series.path("value").path(1).asDouble()).toList();
    }

    /** Creates a job, takes it to COMPLETED and asks it to run again: the requests, transitions, events and the conflict series exist. */
    private static void aJobsLifeWithAConflict(Http http) {
        HttpResponse<String> created = http.postJson("jobs", "{\"type\": \"monitoring-it\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = Json.createReader(new StringReader(created.body())).readObject().getString("id");
        String leaseToken = null;
        for (String to : List.of("QUEUED", "RUNNING", "COMPLETED")) {
            HttpRequest.Builder request = http.request("jobs/" + id + "/transitions").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"to\": \"" + to + "\"}"));
            HttpResponse<String> moved = http.send(leaseToken == null ? request : request.header("Lease-Token", leaseToken));
            assertThat(moved.statusCode()).as(to + ": " + moved.body()).isEqualTo(200);
            leaseToken = Json.createReader(new StringReader(moved.body())).readObject().getString("leaseToken", leaseToken);
        }
        HttpResponse<String> again = http.send(http.request("jobs/" + id + "/transitions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\": \"RUNNING\"}")));
        assertThat(again.statusCode()).isEqualTo(409);
    }
}
