package io.jobstate.persistence.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * What the runtime role may do in the service's schema: read and write the rows of every table
 * (DELETE too: retention removes old rows), use the sequences (identity columns) and call the
 * functions — and nothing more. It owns nothing, so it cannot drop or alter a table, disable the
 * state machine's guard trigger or create objects; TRUNCATE is not granted. Flyway's history table
 * stays the migration role's alone. Granted by the migration role (the owner), over ALL tables,
 * sequences and functions of the schema, after every migration: idempotent, and what a new
 * migration creates is covered as soon as it ran. Stateless.
 */
public final class RuntimePrivileges {

    private static final String HISTORY_TABLE = "flyway_schema_history";

    private RuntimePrivileges() {
    }

    /**
     * Grants {@code role} its privileges on the current schema of {@code owner} (the migration role's
     * connection); nothing when {@code role} is the migration role itself (one role for both, which
     * is not least privilege, but works).
     */
    public static void grant(Connection owner, String role) throws SQLException {
        if (role.equals(single(owner, "SELECT current_user"))) {
            return;
        }
        String grantee = quoted(owner, role);
        String schema = single(owner, "SELECT quote_ident(current_schema())");
        boolean autoCommit = owner.getAutoCommit();
        owner.setAutoCommit(false);
        try (Statement statement = owner.createStatement()) {
            for (String grant : List.of(
                    "GRANT USAGE ON SCHEMA " + schema + " TO " + grantee,
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO " + grantee,
                    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + grantee,
                    "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA " + schema + " TO " + grantee,
                    "REVOKE ALL ON " + schema + "." + HISTORY_TABLE + " FROM " + grantee)) {
                statement.execute(grant);
            }
            owner.commit();
        } catch (SQLException | RuntimeException e) {
            owner.rollback();
            throw e;
        } finally {
            owner.setAutoCommit(autoCommit);
        }
    }

    private static String quoted(Connection connection, String identifier) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT quote_ident(?)")) {
            statement.setString(1, identifier);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
