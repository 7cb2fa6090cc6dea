package io.jobstate.persistence.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A statement of the service as SQL's own PREPARE and EXECUTE take it, and its EXPLAIN, for the plan tests. */
final class PreparedSql {

    private static final Pattern SHARED_BUFFERS = Pattern.compile("Buffers: shared hit=(\\d+)(?: read=(\\d+))?");

    private PreparedSql() {
    }

    /** JDBC's {@code ?} placeholders as {@code $1, $2, …}. */
    private static String numbered(String sql) {
        StringBuilder numbered = new StringBuilder(sql.length());
        int next = 1;
        for (char c : sql.toCharArray()) {
            numbered.append(c == '?' ? "$" + next++ : String.valueOf(c));
        }
        return numbered.toString();
    }

    /** The parameters as the literals of an {@code EXECUTE}. */
    private static String literals(List<Object> values) {
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

    /**
     * The EXPLAIN ({@code options}: "(ANALYZE, …)", or "" for none) of {@code statement} prepared as
     * {@code name} and executed with {@code parameters}, as the driver runs the service's statements.
     */
    static String explainedExecution(Statement sql, String options, String name, String statement, List<Object> parameters)
            throws SQLException {
        sql.execute("PREPARE " + name + " AS " + numbered(statement));
        return explained(sql, options + " EXECUTE " + name + "(" + literals(parameters) + ")");
    }

    /**
     * The pages the first node of an {@code EXPLAIN (ANALYZE, BUFFERS)} read (its count includes its
     * children's; planning's is apart); -1 when the plan counted none.
     */
    static int pagesRead(String plan) {
        Matcher buffers = SHARED_BUFFERS.matcher(plan);
        if (!buffers.find()) {
            return -1;
        }
        return Integer.parseInt(buffers.group(1)) + (buffers.group(2) == null ? 0 : Integer.parseInt(buffers.group(2)));
    }
}
