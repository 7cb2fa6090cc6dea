package io.jobstate.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestFingerprintTest {

    @Test
    void equalPartsGiveEqualFingerprints() {
        assertThat(RequestFingerprint.of("RUNNING", null, 3L)).isEqualTo(RequestFingerprint.of("RUNNING", null, 3L));
    }

    @Test
    void partBoundariesAndNullsAreNotAmbiguous() {
        assertThat(RequestFingerprint.of("ab", "c")).isNotEqualTo(RequestFingerprint.of("a", "bc"));
        assertThat(RequestFingerprint.of((Object) null)).isNotEqualTo(RequestFingerprint.of(""));
        assertThat(RequestFingerprint.of("a", null)).isNotEqualTo(RequestFingerprint.of(null, "a"));
    }

    @Test
    void isAHexSha256() {
        assertThat(RequestFingerprint.of("x")).matches("[0-9a-f]{64}");
    }
}
