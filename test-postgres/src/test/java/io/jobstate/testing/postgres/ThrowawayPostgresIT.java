package io.jobstate.testing.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class ThrowawayPostgresIT {

    private static final Duration BOUND = Duration.ofSeconds(90);

    @Test
    void theSharedServerAnswersWithVersion15OrNewer(TestDatabase database) throws Exception {
        try (Connection connection = database.connect();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT current_setting('server_version_num')::int, current_database(), current_schema()")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isGreaterThanOrEqualTo(150000);
            // a database of its own in a throwaway cluster, a schema of its own in an external database
            assertThat(database.name()).isIn(rows.getString(2), rows.getString(3));
        }
    }

    @Test
    void eachTestClassGetsItsOwnFreshDatabase(PostgresServer server, TestDatabase database) {
        TestDatabase another = server.createDatabase("another");
        try {
            assertThat(another.name()).isNotEqualTo(database.name());
            assertThat(another.jdbcUrl()).startsWith("jdbc:postgresql://" + server.host() + ":" + server.port() + "/");
        } finally {
            server.drop(another);
        }
    }

    @Test
    void aClusterStoppedForAnOutageStartsAgainWithItsData() throws Exception {
        assertTimeoutPreemptively(BOUND, () -> {
            try (ThrowawayPostgres cluster = ThrowawayPostgres.start(PostgresSettings.forTests())) {
                TestDatabase database = cluster.createDatabase("outage");
                try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)");
                }

                cluster.stopFast();
                assertThatThrownBy(database::connect).isInstanceOf(SQLException.class);
                cluster.startAgain();

                try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                     ResultSet kept = statement.executeQuery("SELECT n FROM kept")) {
                    assertThat(kept.next()).isTrue();
                    assertThat(kept.getInt(1)).isEqualTo(7);
                }
            }
        });
    }

    @Test
    void aClusterRunsUnprivilegedAndLeavesNothingBehindWhenClosed() throws Exception {
        assertTimeoutPreemptively(BOUND, () -> {
            ThrowawayPostgres cluster = ThrowawayPostgres.start(PostgresSettings.forTests());
            Path directory = cluster.directory();
            long postmaster;
            try (cluster; Connection connection = cluster.connect("postgres")) {
                postmaster = postmasterPid(directory);
                assertThat(ProcessHandle.of(postmaster)).isPresent();
                assertThat(Files.getOwner(directory.resolve("data")).getName()).isNotEqualTo("root");
                assertThat(connection.isValid(5)).isTrue();
            }
            assertThat(directory).doesNotExist();
            assertThat(ProcessHandle.of(cluster.guardianPid())).isEmpty();
            awaitStopped(postmaster);
        });
    }

    @Test
    void aClusterDiesWithAJvmThatIsKilled() throws Exception {
        assertTimeoutPreemptively(BOUND, () -> {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    ClusterHolder.class.getName()).redirectErrorStream(true).start();
            String[] report;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
                report = readReport(out);
                Path directory = Path.of(report[1]);
                ProcessHandle guardian = ProcessHandle.of(Long.parseLong(report[2])).orElseThrow();
                ProcessHandle postmaster = ProcessHandle.of(Long.parseLong(report[3])).orElseThrow();

                holder.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs in that JVM
                holder.waitFor(30, TimeUnit.SECONDS);

                awaitStopped(guardian.pid());
                awaitStopped(postmaster.pid());
                assertThat(directory).doesNotExist();
            } finally {
                holder.destroyForcibly();
            }
        });
    }

    private static String[] readReport(BufferedReader out) throws Exception {
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("CLUSTER ")) {
                return line.split(" ");
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the holder JVM reported no cluster:\n" + seen);
    }

    /**
     * Waits until the process has ended. An orphan ends as a zombie until the machine's init reaps
     * it, whenever that may be, so a zombie counts as stopped.
     */
    private static void awaitStopped(long pid) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !running(pid));
    }

    private static boolean running(long pid) {
        if (ProcessHandle.of(pid).isEmpty()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException e) {
            return ProcessHandle.of(pid).isPresent();
        }
    }

    private static long postmasterPid(Path directory) throws Exception {
        Optional<String> first = Files.readAllLines(directory.resolve("data/postmaster.pid")).stream().findFirst();
        return Long.parseLong(first.orElseThrow());
    }
}
