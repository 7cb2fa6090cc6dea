package io.jobstate.persistence.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobstate.persistence.Migrations;
import io.jobstate.persistence.support.DatabaseTest;
import io.jobstate.persistence.support.Sql;
import io.jobstate.persistence.support.StoreFixture;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The runtime role, which the service connects as (and every other test of the suite with it), can
 * use the schema and nothing more: it cannot change the schema, empty a table, switch off the state
 * machine's guard or touch the migrations' history. What a later migration adds is granted to it by
 * the next migration run, with no list kept by hand.
 */
class RuntimeRoleIT extends DatabaseTest {

    /** PostgreSQL's insufficient_privilege: "must be owner of …", "permission denied for …". */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @ParameterizedTest
    @ValueSource(strings = {
            "DROP TABLE jobs",
            "DROP TABLE job_history CASCADE",
            "ALTER TABLE jobs ADD COLUMN intruder integer",
            "ALTER TABLE jobs DROP CONSTRAINT jobs_lease_while_running",
            "ALTER DOMAIN job_progress DROP CONSTRAINT job_progress_check",
            "ALTER TABLE jobs DISABLE TRIGGER jobs_guard",
            "ALTER TABLE jobs DISABLE TRIGGER ALL",
            "TRUNCATE jobs CASCADE",
            "TRUNCATE job_events",
            "CREATE TABLE intruder (id integer)",
            "CREATE FUNCTION intruder() RETURNS integer LANGUAGE sql AS 'SELECT 1'",
            "CREATE OR REPLACE FUNCTION jobs_guard() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'",
            "DROP FUNCTION jobs_lease_clock()",
            "CREATE INDEX intruder ON jobs (type)",
            "DELETE FROM flyway_schema_history",
            "SELECT count(*) FROM flyway_schema_history"})
    void theRuntimeRoleIsRefused(String sql) throws Exception {
        try (Connection runtime = fixture.database().connect(fixture.database().runtime()); Statement statement = runtime.createStatement()) {
            assertThatThrownBy(() -> statement.execute(sql))
                    .isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(INSUFFICIENT_PRIVILEGE));
        }
    }

    @Test
    void theRuntimeRoleIsNoSuperuserAndOwnsNothing() throws Exception {
        try (Connection runtime = fixture.database().connect(fixture.database().runtime())) {
            assertThat(Sql.count(runtime, "SELECT count(*) FROM pg_roles WHERE rolname = current_user"
                    + " AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls)")).isZero();
            assertThat(Sql.count(runtime, "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)")).isZero();
            assertThat(Sql.count(runtime, "SELECT count(*) FROM pg_proc WHERE proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)")).isZero();
        }
    }

    @Test
    void objectsOfAnotherOwnerInTheSchemaLikeAnExtensionsDoNotStopTheMigrationAndAreNotGranted() throws Exception {
        // as an administrator installing an extension into the schema: objects the migration role may not grant
        try (Connection administrator = fixture.database().connect(); Statement statement = administrator.createStatement()) {
            statement.execute("CREATE FUNCTION not_ours() RETURNS integer LANGUAGE sql AS 'SELECT 1'");
            statement.execute("REVOKE ALL ON FUNCTION not_ours() FROM PUBLIC");
            statement.execute("CREATE TABLE not_ours (id integer)");
        }
        try {
            Migrations.migrate(StoreFixture.migrationDataSource(fixture.database()), fixture.database().runtime().user());

            try (Connection runtime = fixture.database().connect(fixture.database().runtime()); Statement statement = runtime.createStatement()) {
                assertThat(Sql.count(runtime, "SELECT count(*) FROM event_outbox")).as("the service's tables stay granted").isNotNegative();
                for (String sql : new String[] {"SELECT not_ours()", "SELECT count(*) FROM not_ours"}) {
                    assertThatThrownBy(() -> statement.execute(sql)).isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE));
                }
            }
        } finally {
            try (Connection administrator = fixture.database().connect(); Statement statement = administrator.createStatement()) {
                statement.execute("DROP FUNCTION not_ours()");
                statement.execute("DROP TABLE not_ours");
            }
        }
    }

    @Test
    void aTableALaterMigrationAddsIsTheRuntimeRolesToUseAfterTheNextMigrationRun() throws Exception {
        try (Connection owner = fixture.database().connect(fixture.database().migration()); Statement statement = owner.createStatement()) {
            statement.execute("CREATE TABLE later_migration (id uuid PRIMARY KEY, n bigint GENERATED ALWAYS AS IDENTITY)");
        }
        String insert = "INSERT INTO later_migration (id) VALUES ('" + UUID.randomUUID() + "')";
        try (Connection runtime = fixture.database().connect(fixture.database().runtime()); Statement statement = runtime.createStatement()) {
            assertThatThrownBy(() -> statement.execute(insert)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE));

            Migrations.migrate(StoreFixture.migrationDataSource(fixture.database()), fixture.database().runtime().user());

            statement.execute(insert);
            assertThat(Sql.count(runtime, "SELECT count(*) FROM later_migration")).isEqualTo(1);
            assertThat(statement.executeUpdate("DELETE FROM later_migration")).as("retention deletes rows").isEqualTo(1);
            assertThatThrownBy(() -> statement.execute("TRUNCATE later_migration")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE));
        } finally {
            try (Connection owner = fixture.database().connect(fixture.database().migration()); Statement statement = owner.createStatement()) {
                statement.execute("DROP TABLE later_migration");
            }
        }
    }
}
