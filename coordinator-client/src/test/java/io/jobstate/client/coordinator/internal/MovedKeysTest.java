package io.jobstate.client.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

class MovedKeysTest {

    private static final String OLD = "io.jobstate.client.coordinator.internal.GuardedCalls/call/";

    @Test
    void eachMovedKeyIsNamedWithItsReplacement() {
        Config config = config(Map.of(
                OLD + "Timeout/value", "500",
                OLD + "CircuitBreaker/enabled", "false",
                OLD + "Retry/delay", "50"));

        assertThat(MovedKeys.in(config)).containsExactly(
                OLD + "CircuitBreaker/enabled is no longer read as before: use "
                        + "io.jobstate.client.coordinator.internal.Attempts/attempt/CircuitBreaker/enabled",
                OLD + "Retry/delay is no longer read as before: use jobstate.client.retry.delay (a duration, e.g. PT0.2S)",
                OLD + "Timeout/value is no longer read as before: use "
                        + "io.jobstate.client.coordinator.internal.Attempts/attempt/Timeout/value");
    }

    @Test
    void keysThatStillApplyAreNotNamed() {
        Config config = config(Map.of(
                OLD + "Retry/maxRetries", "8",
                OLD + "Retry/maxDuration", "60000",
                "io.jobstate.client.coordinator.internal.Attempts/attempt/Timeout/value", "500",
                "jobstate.client.retry.delay", "PT0.05S"));

        assertThat(MovedKeys.in(config)).isEmpty();
    }

    private static Config config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 100)).build();
    }
}
