package io.jobstate.rest.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.Violation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WholeNumberTest {

    private final List<Violation> violations = new ArrayList<>();

    @Test
    void anAbsentValueIsTheDefaultWithoutAViolation() {
        assertThat(WholeNumber.parse("limit", null, 1, 500, 50, violations)).isEqualTo(50);
        assertThat(violations).isEmpty();
    }

    @Test
    void aNumberWithinTheBoundsIsItsValueAndTheBoundsAreIncluded() {
        assertThat(WholeNumber.parse("limit", "1", 1, 500, 50, violations)).isEqualTo(1);
        assertThat(WholeNumber.parse("limit", "500", 1, 500, 50, violations)).isEqualTo(500);
        assertThat(WholeNumber.parse("after", " 9223372036854775807 ", 0, Long.MAX_VALUE, 0, violations))
                .isEqualTo(Long.MAX_VALUE);
        assertThat(violations).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "501", "-1", "4294967297", "99999999999999999999", "1.5", "1e3", "ten", "", "0x10"})
    void anythingElseIsOneViolationNamingTheFieldAndTheBounds(String text) {
        long value = WholeNumber.parse("limit", text, 1, 500, 50, violations);

        assertThat(value).isEqualTo(50);
        assertThat(violations).containsExactly(new Violation("limit", "must be a whole number between 1 and 500"));
    }
}
