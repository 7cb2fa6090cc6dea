package io.jobstate.persistence.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What the runtime role may do in the service's schema: read and write the rows of every table
 * (DELETE too: retention removes old rows), use the sequences (identity columns) and call the
 * functions — and nothing more. It owns nothing, so it cannot drop or alter a table, disable the
 * state machine's guard trigger or create objects; TRUNCATE is not granted. Flyway's history table
 * stays the migration role's alone. Granted by the migration role over every table, sequence and
 * function of the schema it owns, after every migration: idempotent, and what a new migration creates
 * is covered as soon as it ran. Objects of other owners in the schema are left alone: an extension an
 * administrator installs there (pg_stat_statements, say) is not the migration role's to grant, and
 * {@code GRANT … ON ALL FUNCTIONS IN SCHEMA} failed on it, so the service did not start. Stateless.
 */
public final class RuntimePrivileges {

    private static final String HISTORY_TABLE = "flyway_schema_history";
    /**
     * The GRANT statements on what the current user owns in the current schema, one per kind (none
     * for a kind it owns nothing of); {@code ?} is the grantee, quoted.
     */
    private static final String GRANTS_ON_OWNED = """
            WITH owned AS (
                SELECT CASE WHEN c.relkind = 'S' THEN 'USAGE, SELECT ON SEQUENCE'
                            ELSE 'SELECT, INSERT, UPDATE, DELETE ON TABLE' END AS privileges, c.oid::regclass::text AS name
                FROM pg_class c
                WHERE c.relnamespace = current_schema()::regnamespace AND c.relowner = current_user::regrole
                  AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
                UNION ALL
                SELECT 'EXECUTE ON ROUTINE', p.oid::regprocedure::text
                FROM pg_proc p
                WHERE p.pronamespace = current_schema()::regnamespace AND p.proowner = current_user::regrole)
            SELECT format('GRANT %s %s TO %s', privileges, string_agg(name, ', ' ORDER BY name), CAST(? AS text))
            FROM owned GROUP BY privileges""";

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
            List<String> grants = new ArrayList<>();
            grants.add("GRANT USAGE ON SCHEMA " + schema + " TO " + grantee);
            grants.addAll(grantsOnOwned(owner, grantee));
            grants.add("REVOKE ALL ON " + schema + "." + HISTORY_TABLE + " FROM " + grantee);
            for (String grant : grants) {
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

    private static List<String> grantsOnOwned(Connection owner, String grantee) throws SQLException {
        try (PreparedStatement statement = owner.prepareStatement(GRANTS_ON_OWNED)) {
            statement.setString(1, grantee);
            List<String> grants = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    grants.add(rows.getString(1));
                }
            }
            return grants;
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
