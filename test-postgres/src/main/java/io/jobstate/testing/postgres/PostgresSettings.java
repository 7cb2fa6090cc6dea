package io.jobstate.testing.postgres;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Server settings for a throwaway cluster. {@link #forTests()} trades durability for speed (the
 * data dies with the cluster anyway); {@link #durable()} keeps PostgreSQL's crash-safe defaults,
 * for benchmarks whose figures must mean something in production.
 */
public final class PostgresSettings {

    private final Map<String, String> values;

    private PostgresSettings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static PostgresSettings forTests() {
        Map<String, String> values = new LinkedHashMap<>(durable().values);
        values.put("fsync", "off");
        values.put("synchronous_commit", "off");
        values.put("full_page_writes", "off");
        return new PostgresSettings(values);
    }

    public static PostgresSettings durable() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("max_connections", "300");
        values.put("shared_buffers", "256MB");
        return new PostgresSettings(values);
    }

    public PostgresSettings with(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(name, value);
        return new PostgresSettings(copy);
    }

    /** The settings as lines of {@code postgresql.conf}. */
    String asConfigurationLines() {
        return values.entrySet().stream()
                .map(e -> e.getKey() + " = '" + e.getValue().replace("'", "''") + "'\n")
                .collect(Collectors.joining());
    }

    /** The settings as {@code postgres} command-line options. */
    String asOptions() {
        return values.entrySet().stream()
                .map(e -> "-c " + e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}
