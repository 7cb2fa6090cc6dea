package io.jobstate.persistence.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/** A statement of the service as SQL's own PREPARE and EXECUTE take it, and its EXPLAIN, for the plan tests. */
final class PreparedSql {

    private PreparedSql() {
    }

    /** JDBC's {@code ?} placeholders as {@code $1, $2, …}. */
    static String numbered(String sql) {
        StringBuilder numbered = new StringBuilder(sql.length());
        int next = 1;
        for (char c : sql.toCharArray()) {
            numbered.append(c == '?' ? "$" + next++ : String.valueOf(c));
        }
        return numbered.toString();
    }

    /** The parameters as the literals of an {@code EXECUTE}. */
    static String literals(List<Object> values) {
        return values.stream()
                .map(value -> value == null ? "NULL"
                        : value instanceof Number ? value.toString()
                        : "'" + value.toString().replace("'", "''") + "'")
                .collect(Collectors.joining(", "));
    }

    /** The lines of an {@code EXPLAIN} (its options and statement given), as one text. */
    static String explained(Statement sql, String explain) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (ResultSet lines = sql.executeQuery("EXPLAIN " + explain)) {
            while (lines.next()) {
                plan.append(lines.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }
}
