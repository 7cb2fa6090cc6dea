package io.jobstate.rest.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntityTagsTest {

    @Test
    void aJobsTagIsItsVersionInQuotes() {
        assertThat(EntityTags.of(0)).isEqualTo("\"0\"");
        assertThat(EntityTags.of(42)).isEqualTo("\"42\"");
    }

    @Test
    void ifMatchAbsentOrStarRequiresNoVersion() {
        assertThat(EntityTags.requiredVersion(null)).isNull();
        assertThat(EntityTags.requiredVersion(" ")).isNull();
        assertThat(EntityTags.requiredVersion("*")).isNull();
    }

    @Test
    void ifMatchWithAStrongTagRequiresItsVersion() {
        assertThat(EntityTags.requiredVersion("\"3\"")).isEqualTo(3L);
        assertThat(EntityTags.requiredVersion(" \"0\" ")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"3", "W/\"3\"", "\"three\"", "\"-1\"", "\"+1\"", "\"007\"", "\"\"", "\"99999999999999999999\"",
            "\"1\", \"2\""})
    void ifMatchWithAnythingElseCanNeverMatchBecauseItComparesStrongly(String header) {
        assertThat(EntityTags.requiredVersion(header)).isEqualTo(EntityTags.NEVER);
    }

    @Test
    void ifNoneMatchComparesWeaklySoAWeakTagOfTheVersionMatches() {
        assertThat(EntityTags.noneMatchNames("\"3\"", 3)).isTrue();
        assertThat(EntityTags.noneMatchNames("W/\"3\"", 3)).isTrue();
        assertThat(EntityTags.noneMatchNames(" W/\"3\" ", 3)).isTrue();
    }

    @Test
    void ifNoneMatchMatchesAnyTagOfAListOrStar() {
        assertThat(EntityTags.noneMatchNames("\"1\", W/\"3\", \"7\"", 3)).isTrue();
        assertThat(EntityTags.noneMatchNames("*", 3)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"2\"", "W/\"2\"", "\"1\", \"2\"", "3", "\"03\"", "W/3", ""})
    void ifNoneMatchOfOtherTagsDoesNotMatch(String header) {
        assertThat(EntityTags.noneMatchNames(header, 3)).isFalse();
        assertThat(EntityTags.noneMatchNames(null, 3)).isFalse();
    }
}
