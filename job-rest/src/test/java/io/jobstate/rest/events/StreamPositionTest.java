package io.jobstate.rest.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobstate.rest.problem.Problem;
import org.junit.jupiter.api.Test;

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

    @Test
    void aMalformedPositionIsABadRequestNamingWhereItCameFrom() {
        assertThatThrownBy(() -> StreamPosition.of("-1", null)).isInstanceOfSatisfying(Problem.Raised.class, raised -> {
            assertThat(raised.problem().status()).isEqualTo(400);
            assertThat(raised.problem().body().getJsonArray("errors").getJsonObject(0).getString("field"))
                    .isEqualTo("Last-Event-ID");
        });
        assertThatThrownBy(() -> StreamPosition.of(null, "x")).isInstanceOfSatisfying(Problem.Raised.class,
                raised -> assertThat(raised.problem().body().getJsonArray("errors").getJsonObject(0).getString("field"))
                        .isEqualTo("after"));
    }
}
