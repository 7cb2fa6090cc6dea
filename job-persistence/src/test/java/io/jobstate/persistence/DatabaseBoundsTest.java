package io.jobstate.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DatabaseBoundsTest {

    private static final DatabaseBounds SERVICE_DEFAULTS = new DatabaseBounds(Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10));

    @Test
    void theDriverPropertiesSetEveryBoundOnTheSessionAndTheSocket() {
        assertThat(SERVICE_DEFAULTS.driverProperties()).containsOnly(
                org.assertj.core.api.Assertions.entry("options",
                        "-c lock_timeout=2000ms -c statement_timeout=5000ms -c idle_in_transaction_session_timeout=5000ms"),
                org.assertj.core.api.Assertions.entry("connectTimeout", "2"),
                org.assertj.core.api.Assertions.entry("loginTimeout", "5"),
                org.assertj.core.api.Assertions.entry("socketTimeout", "10"),
                org.assertj.core.api.Assertions.entry("tcpKeepAlive", "true"));
    }

    @Test
    void boundsAreReadAsServerXmlWritesThem() {
        assertThat(DatabaseBounds.parse("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(DatabaseBounds.parse(" 500ms ")).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> DatabaseBounds.parse("PT2S")).hasMessageContaining("2s, 500ms");
        assertThatThrownBy(() -> DatabaseBounds.parse("2")).hasMessageContaining("whole number of s or ms");
        assertThatThrownBy(() -> DatabaseBounds.parse("1min")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noBoundMayBeZeroWhichMeansForEver() {
        assertThatThrownBy(() -> new DatabaseBounds(Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(2),
                Duration.ofSeconds(5), Duration.ofSeconds(10))).hasMessageContaining("lockWait must be positive");
        assertThatThrownBy(() -> new DatabaseBounds(Duration.ofSeconds(2), Duration.ZERO, Duration.ofSeconds(2),
                Duration.ofSeconds(5), Duration.ofSeconds(10))).hasMessageContaining("statement must be positive");
    }

    @Test
    void theNetworkBoundMustExceedTheStatementBoundAndTheDriversBoundsAreWholeSeconds() {
        assertThatThrownBy(() -> new DatabaseBounds(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(2),
                Duration.ofSeconds(5), Duration.ofSeconds(10))).hasMessageContaining("must exceed statement");
        assertThatThrownBy(() -> new DatabaseBounds(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(1500),
                Duration.ofSeconds(5), Duration.ofSeconds(10))).hasMessageContaining("whole seconds");
    }
}
