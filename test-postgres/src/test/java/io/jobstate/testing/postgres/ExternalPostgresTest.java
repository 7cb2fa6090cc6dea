package io.jobstate.testing.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExternalPostgresTest {

    @Test
    void theGivenDatabaseAndItsOptionsAreKept() {
        ExternalPostgres server = ExternalPostgres.fromEnvironment("jdbc:postgresql://db.local:6543/jobs?sslmode=require");

        assertThat(server.host()).isEqualTo("db.local");
        assertThat(server.port()).isEqualTo(6543);
        assertThat(server.adminDatabase()).isEqualTo("jobs");
        assertThat(server.jdbcUrl("jobs")).isEqualTo("jdbc:postgresql://db.local:6543/jobs?sslmode=require");
    }

    @Test
    void thePortDefaultsTo5432() {
        assertThat(ExternalPostgres.fromEnvironment("jdbc:postgresql://localhost/jobs").port()).isEqualTo(5432);
    }

    @Test
    void anythingButAPostgresqlUrlIsRefused() {
        assertThatThrownBy(() -> ExternalPostgres.fromEnvironment("jdbc:mysql://localhost/jobs"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
