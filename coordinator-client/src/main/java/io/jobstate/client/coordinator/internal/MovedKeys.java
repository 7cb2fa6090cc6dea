package io.jobstate.client.coordinator.internal;

import java.util.List;
import java.util.logging.Logger;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.Config;

/**
 * Names the configuration keys of earlier versions that a deployment still sets: the timeout and
 * circuit breaker moved from the retried call to {@link Attempts}, where the old keys no longer
 * reach them, and the first backoff step is {@code jobstate.client.retry.delay} now, while the old
 * key would add a fixed wait to every retry. Without a warning, either would go unnoticed.
 * Stateless; thread-safe.
 */
final class MovedKeys {

    private static final Logger LOG = Logger.getLogger(MovedKeys.class.getName());
    private static final String OLD = GuardedCalls.class.getName() + "/call/";
    private static final String ATTEMPT = Attempts.class.getName() + "/attempt/";

    private MovedKeys() {
    }

    /** The moved keys {@code config} sets, each with what replaced it. */
    static List<String> in(Config config) {
        return StreamSupport.stream(config.getPropertyNames().spliterator(), false).sorted()
                .filter(name -> name.startsWith(OLD + "Timeout/") || name.startsWith(OLD + "CircuitBreaker/")
                        || name.equals(OLD + "Retry/delay"))
                .map(name -> name + " is no longer read as before: use " + (name.endsWith("/Retry/delay")
                        ? "jobstate.client.retry.delay (a duration, e.g. PT0.2S)"
                        : ATTEMPT + name.substring(OLD.length())))
                .toList();
    }

    static void warnAbout(Config config) {
        in(config).forEach(LOG::warning);
    }
}
