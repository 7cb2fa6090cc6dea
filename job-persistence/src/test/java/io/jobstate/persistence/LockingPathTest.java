package io.jobstate.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LockingPathTest {

    @Test
    void configurationValuesAreReadInAnyCase() {
        assertThat(LockingPath.fromConfig("cas")).isEqualTo(LockingPath.CAS);
        assertThat(LockingPath.fromConfig(" Pessimistic ")).isEqualTo(LockingPath.PESSIMISTIC);
    }

    @Test
    void unknownValuesAreRefused() {
        assertThatThrownBy(() -> LockingPath.fromConfig("optimistic")).isInstanceOf(IllegalArgumentException.class);
    }
}
