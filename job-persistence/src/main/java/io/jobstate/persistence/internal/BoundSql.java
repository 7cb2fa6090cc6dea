package io.jobstate.persistence.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * SQL text and the values of its placeholders, in order. It is built from fragments that each
 * carry the values of their own placeholders, so the order of the values cannot drift from the
 * order of the text. Immutable and thread-safe.
 */
record BoundSql(String text, List<Object> parameters) {

    static Builder builder() {
        return new Builder();
    }

    /**
     * A prepared statement with every value bound; {@code null} is bound as an untyped text NULL
     * (the SQL casts where a column needs another type).
     */
    PreparedStatement prepare(Connection connection) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(text);
        try {
            for (int i = 0; i < parameters.size(); i++) {
                Object value = parameters.get(i);
                if (value == null) {
                    statement.setNull(i + 1, Types.VARCHAR);
                } else {
                    statement.setObject(i + 1, value);
                }
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    /** Collects fragments and their values. Not thread-safe; one per statement. */
    static final class Builder {
        private final StringBuilder text = new StringBuilder(512);
        private final List<Object> parameters = new ArrayList<>();

        private Builder() {
        }

        /**
         * Appends {@code fragment}, whose placeholders ({@code ?}) take {@code values} in order;
         * their number must match.
         */
        Builder append(String fragment, Object... values) {
            int placeholders = placeholders(fragment);
            if (placeholders != values.length) {
                throw new IllegalArgumentException(placeholders + " placeholders but " + values.length
                        + " values in: " + fragment);
            }
            text.append(fragment);
            Collections.addAll(parameters, values);
            return this;
        }

        /** Appends a statement built elsewhere, with its values. */
        Builder append(BoundSql other) {
            text.append(other.text());
            parameters.addAll(other.parameters());
            return this;
        }

        BoundSql build() {
            return new BoundSql(text.toString(), Collections.unmodifiableList(new ArrayList<>(parameters)));
        }

        private static int placeholders(String fragment) {
            int count = 0;
            // indexOf, not a loop over chars: it runs on every request, over every fragment
            for (int at = fragment.indexOf('?'); at >= 0; at = fragment.indexOf('?', at + 1)) {
                count++;
            }
            return count;
        }
    }
}
