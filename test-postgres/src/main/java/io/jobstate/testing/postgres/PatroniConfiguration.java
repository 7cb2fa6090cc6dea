package io.jobstate.testing.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository's Patroni configuration, {@code ops/patroni/patroni.yml} (built into this module
 * as a resource: the tests run the very file the operations guide recommends), filled in for one
 * member. Every placeholder must get a value and every value a placeholder, so the template and
 * the harness cannot drift apart silently. Thread-safe (no state).
 */
final class PatroniConfiguration {

    static final String TEMPLATE = "patroni/patroni.yml";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_]+)}");

    private PatroniConfiguration() {
    }

    /** The template with each {@code ${NAME}} replaced by {@code values.get(NAME)}. */
    static String fill(Map<String, String> values) {
        String template = template();
        Set<String> unused = new TreeSet<>(values.keySet());
        Set<String> missing = new TreeSet<>();
        Matcher placeholders = PLACEHOLDER.matcher(template);
        String filled = placeholders.replaceAll(match -> {
            String name = match.group(1);
            unused.remove(name);
            String value = values.get(name);
            if (value == null) {
                missing.add(name);
                return "";
            }
            return Matcher.quoteReplacement(value);
        });
        if (!missing.isEmpty() || !unused.isEmpty()) {
            throw new IllegalStateException(TEMPLATE + ": no value for " + missing + ", no placeholder for " + unused);
        }
        return filled;
    }

    private static String template() {
        try (InputStream in = PatroniConfiguration.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException(TEMPLATE + " is missing from the classpath (ops/patroni/ in the build)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
