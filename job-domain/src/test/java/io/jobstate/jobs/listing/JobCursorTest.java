package io.jobstate.jobs.listing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class JobCursorTest {

    @Test
    void aCursorSurvivesItsOwnEncoding() {
        JobCursor cursor = new JobCursor(Instant.parse("2026-03-04T05:06:07.123456Z"), UUID.randomUUID());

        assertThat(JobCursor.decode(cursor.encode())).contains(cursor);
        assertThat(cursor.encode()).matches("[A-Za-z0-9_-]+");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "!!!", "bm90LWEtY3Vyc29y", "MjAyNi0wMS0wMVQwMDowMDowMFp8bm90LWEtdXVpZA"})
    void foreignTokensAreNotCursors(String token) {
        assertThat(JobCursor.decode(token)).isEmpty();
    }

    @Test
    void cursorsOutsideTheYearsPostgresqlStoresAreNotCursors() {
        String farFuture = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("+300000-01-01T00:00:00Z|" + UUID.randomUUID()).getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(JobCursor.decode(farFuture)).isEmpty();
        assertThat(JobQuery.firstPage().withType("x\u0000").violations()).hasSize(1);
    }

    @Test
    void limitMustBeWithinOneToFiveHundred() {
        assertThat(JobQuery.firstPage().violations()).isEmpty();
        assertThat(JobQuery.firstPage().withLimit(500).violations()).isEmpty();
        assertThat(JobQuery.firstPage().withLimit(0).violations()).hasSize(1);
        assertThat(JobQuery.firstPage().withLimit(501).violations()).hasSize(1);
    }
}
