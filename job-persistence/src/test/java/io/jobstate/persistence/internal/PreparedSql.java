package io.jobstate.persistence.internal;

import java.util.List;
import java.util.stream.Collectors;

/** A statement of the service as SQL's own PREPARE and EXECUTE take it, for EXPLAIN in the plan tests. */
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
}
