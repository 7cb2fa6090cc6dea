package io.jobstate.it.openapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * How many exchanges of this test run were checked against the served OpenAPI document, of which
 * kind, and how many contradicted it: logged, and written to the file named by the system property
 * {@code jobstate.it.exchange-tally} (the figure the build reports). Thread-safe (synchronized).
 */
public final class ExchangeTally {

    private static final Logger LOG = Logger.getLogger(ExchangeTally.class.getName());
    private static final Map<ExchangeCheck.Kind, Long> CHECKED = new EnumMap<>(ExchangeCheck.Kind.class);
    private static long violations;

    private ExchangeTally() {
    }

    static synchronized void record(ExchangeCheck.Verdict verdict) {
        CHECKED.merge(verdict.kind(), 1L, Long::sum);
        violations += verdict.violations().isEmpty() ? 0 : 1;
    }

    /** The tally so far, as one line. */
    public static synchronized String summary() {
        long total = CHECKED.values().stream().mapToLong(Long::longValue).sum();
        return "OpenAPI exchange check: " + total + " exchanges checked against the served document ("
                + CHECKED.getOrDefault(ExchangeCheck.Kind.ALLOWED, 0L) + " requests it allows, "
                + CHECKED.getOrDefault(ExchangeCheck.Kind.REFUSED, 0L) + " it refuses, "
                + CHECKED.getOrDefault(ExchangeCheck.Kind.OUTSIDE, 0L) + " on no operation of it), "
                + violations + " violations";
    }

    /** Logs the tally and writes it to its file (each test class does, so the file holds the run's total). */
    public static void report() {
        String summary = summary();
        LOG.info(summary);
        String file = System.getProperty("jobstate.it.exchange-tally");
        if (file != null) {
            try {
                Files.writeString(Path.of(file), summary + System.lineSeparator());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
