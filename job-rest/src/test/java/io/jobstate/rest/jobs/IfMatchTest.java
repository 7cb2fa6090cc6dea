package io.jobstate.rest.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IfMatchTest {

    @Test
    void absentOrStarRequiresNoVersion() {
        assertThat(IfMatch.version(null)).isNull();
        assertThat(IfMatch.version(" ")).isNull();
        assertThat(IfMatch.version("*")).isNull();
    }

    @Test
    void aStrongTagRequiresItsVersion() {
        assertThat(IfMatch.version("\"3\"")).isEqualTo(3L);
        assertThat(IfMatch.version(" \"0\" ")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"3", "W/\"3\"", "\"three\"", "\"-1\"", "\"\"", "\"99999999999999999999\"", "\"1\", \"2\""})
    void anythingElseCanNeverMatch(String header) {
        assertThat(IfMatch.version(header)).isEqualTo(IfMatch.NEVER);
    }
}
