package io.jobstate.rest.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Bad positions are 400 problems: EventsIT (they need the JAX-RS runtime). */
class StreamPositionTest {

    @Test
    void lastEventIdWinsOverTheQueryBecauseReconnectingClientsSendIt() {
        assertThat(StreamPosition.of("42", "7")).isEqualTo(42);
        assertThat(StreamPosition.of(" 42 ", null)).isEqualTo(42);
    }

    @Test
    void withoutLastEventIdTheQueryOrTheStart() {
        assertThat(StreamPosition.of(null, "7")).isEqualTo(7);
        assertThat(StreamPosition.of("", "7")).isEqualTo(7);
        assertThat(StreamPosition.of(null, null)).isZero();
    }
}
