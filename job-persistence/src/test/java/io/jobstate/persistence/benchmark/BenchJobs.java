package io.jobstate.persistence.benchmark;

import io.jobstate.persistence.support.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The jobs of one benchmark cell: numbered {@code base .. base+count-1}, with ids that SQL can
 * compute from the number too (the number in the low bits of a UUID), all PENDING.
 */
record BenchJobs(String type, long base, int count) {

    static final String ID_SQL = "CAST(lpad(to_hex(CAST(:jid AS bigint)), 32, '0') AS uuid)";

    static BenchJobs create(Connection connection, String type, long base, int count) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO jobs (id, type, status, version,"
                + " attempt, progress, created_at, updated_at)"
                + " SELECT CAST(lpad(to_hex(n), 32, '0') AS uuid), ?, 'PENDING', 0, 1, 0, now(), now()"
                + " FROM generate_series(CAST(? AS bigint), CAST(? AS bigint)) AS n")) {
            insert.setString(1, type);
            insert.setLong(2, base);
            insert.setLong(3, base + count - 1);
            insert.executeUpdate();
        }
        return new BenchJobs(type, base, count);
    }

    UUID id(int index) {
        return new UUID(0, base + index);
    }

    long appliedSoFar(Connection connection) throws SQLException {
        return Sql.count(connection, "SELECT count(*) FROM job_history h JOIN jobs j ON j.id = h.job_id WHERE j.type = ?",
                type);
    }
}
