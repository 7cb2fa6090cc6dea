package io.jobstate.it.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the repository ships for monitoring, read as data: the Prometheus rules' expressions and the
 * names they record, and every query of the Grafana dashboard (panel targets and query variables).
 * Each expression is keyed by where it is ("rule JobstateNotReady", "panel Server errors"), so that a
 * failure says which one names what.
 */
public final class ShippedMonitoring {

    public static final Path OPS = Path.of("..", "ops").toAbsolutePath().normalize();
    public static final Path RULES = OPS.resolve("prometheus/jobstate.rules.yml");
    public static final Path DASHBOARD = OPS.resolve("grafana/jobstate-dashboard.json");

    private ShippedMonitoring() {
    }

    /** Every rule's expression, keyed by "rule " and its alert or recorded name. */
    public static Map<String, String> ruleExpressions() throws IOException {
        Map<String, String> expressions = new TreeMap<>();
        for (JsonNode rule : rules()) {
            String name = rule.has("record") ? rule.get("record").asText() : rule.get("alert").asText();
            expressions.put("rule " + name, rule.get("expr").asText());
        }
        return expressions;
    }

    /** The names the recording rules record. */
    public static Set<String> recordedNames() throws IOException {
        Set<String> recorded = new TreeSet<>();
        for (JsonNode rule : rules()) {
            if (rule.has("record")) {
                recorded.add(rule.get("record").asText());
            }
        }
        return recorded;
    }

    /** Every query of the dashboard, keyed by "panel " and its title (with the target's refId) or "variable " and its name. */
    public static Map<String, String> dashboardQueries() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Map<String, String> queries = new TreeMap<>();
        collectPanels(dashboard.path("panels"), queries);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode query = variable.path("query");
                queries.put("variable " + variable.path("name").asText(), query.isObject() ? query.path("query").asText() : query.asText());
            }
        }
        return queries;
    }

    private static void collectPanels(JsonNode panels, Map<String, String> queries) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                queries.put("panel " + panel.path("title").asText() + " " + target.path("refId").asText(), target.path("expr").asText());
            }
            collectPanels(panel.path("panels"), queries);
        }
    }

    private static List<JsonNode> rules() throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile());
        List<JsonNode> rules = new ArrayList<>();
        root.path("groups").forEach(group -> group.path("rules").forEach(rules::add));
        return rules;
    }
}
