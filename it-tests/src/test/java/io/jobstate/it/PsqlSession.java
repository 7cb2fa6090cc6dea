package io.jobstate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jobstate.testing.postgres.PostgresBinaries;
import io.jobstate.testing.postgres.PostgresServer;
import io.jobstate.testing.postgres.TestDatabase;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An operator's {@code psql} session on the service's database, as the administrator, reading its
 * SQL from this test: {@code BEGIN; SELECT … FOR UPDATE;} and then nothing, as someone who looked at
 * a job and left the transaction open. {@link #close()} rolls back and ends it, also when a test
 * fails. psql comes with the machine's PostgreSQL package (next to the server binaries the tests
 * use); without it the test is skipped, except on CI ({@code CI=true}), where it fails. Not
 * thread-safe.
 */
final class PsqlSession implements AutoCloseable {

    private static final String APPLICATION = "operator-psql";

    private final Process psql;
    private final Writer input;
    private final long pid;

    private PsqlSession(Process psql, Writer input, long pid) {
        this.psql = psql;
        this.input = input;
        this.pid = pid;
    }

    /** A session holding job {@code id}'s row lock in an open transaction; returns once it holds it. */
    static PsqlSession holding(PostgresServer server, TestDatabase database, String id) throws Exception {
        Path binary = PostgresBinaries.locate().resolve("psql");
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(Files.isExecutable(binary), "psql is not installed next to " + binary.getParent() + " (skipped; CI fails instead)");
        }
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", server.host(), "-p", Integer.toString(server.port()), "-U", database.user(),
                "-d", "dbname=" + database.name() + " application_name=" + APPLICATION)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PGPASSWORD", database.password());
        Process psql = builder.start();
        Writer input = new OutputStreamWriter(psql.getOutputStream(), StandardCharsets.UTF_8);
        PsqlSession session = new PsqlSession(psql, input, -1);
        try {
            session.send("BEGIN;\nSELECT 1 FROM jobs WHERE id = '" + java.util.UUID.fromString(id) + "' FOR UPDATE;\n");
            try (Connection observer = database.connect()) {
                long pid = await().atMost(Duration.ofSeconds(30)).until(() -> holder(observer), found -> found > 0);
                return new PsqlSession(psql, input, pid);
            }
        } catch (Exception | AssertionError e) {
            session.close();
            throw e;
        }
    }

    /** The session's server process, whose lock others wait for. */
    long pid() {
        return pid;
    }

    /** Ends the transaction and the session; waits (boundedly) for psql to end. */
    @Override
    public void close() {
        try {
            send("ROLLBACK;\n\\q\n");
            input.close();
        } catch (UncheckedIOException | IOException e) {
            // psql is gone already: nothing holds the lock
        }
        try {
            if (!psql.waitFor(30, TimeUnit.SECONDS)) {
                psql.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            psql.destroyForcibly();
        }
        assertThat(psql.isAlive()).as("psql ended").isFalse();
    }

    private void send(String sql) {
        try {
            input.write(sql);
            input.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server process of a session of ours that holds a row lock in an idle transaction, or 0. */
    private static long holder(Connection observer) throws Exception {
        try (PreparedStatement statement = observer.prepareStatement("SELECT pid FROM pg_stat_activity"
                + " WHERE application_name = ? AND state = 'idle in transaction' AND query LIKE '%FOR UPDATE%'")) {
            statement.setString(1, APPLICATION);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }
}
