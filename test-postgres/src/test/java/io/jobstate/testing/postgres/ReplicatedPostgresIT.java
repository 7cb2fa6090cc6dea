package io.jobstate.testing.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jobstate.testing.postgres.ReplicatedPostgres.Replication;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The replicated pair itself: what a synchronous standby keeps when the primary dies in the middle
 * of a WAL stall (everything acknowledged) and what an asynchronous one loses (the control that
 * shows the check can fail), a killed primary serves no old connection, the former primary
 * re-attached with pg_rewind can be failed back to, and nothing outlives the pair or its JVM.
 *
 * <p>Needs pg_basebackup and pg_rewind next to the server binaries: skipped without them, except on
 * CI ({@code CI=true}), where it fails.
 */
class ReplicatedPostgresIT {

    private static final Duration BOUND = Duration.ofSeconds(120);

    @BeforeAll
    static void replicationToolsArePresent() {
        List<String> missing = ReplicatedPostgres.missingTools();
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(missing.isEmpty(), "a replicated pair needs " + missing + " next to the PostgreSQL server"
                    + " binaries (skipped; CI fails instead)");
        }
        assertThat(missing).as("replication tools next to " + PostgresBinaries.locate()).isEmpty();
    }

    @Test
    void everyCommitAcknowledgedBeforeThePrimaryDiesIsOnThePromotedSynchronousStandby() {
        assertTimeoutPreemptively(BOUND, () -> {
            try (ReplicatedPostgres pair = ReplicatedPostgres.start(PostgresSettings.forTests(), Replication.SYNCHRONOUS)) {
                Failover failover = commitThroughAStalledFailover(pair);

                assertThat(failover.acknowledged()).hasSizeGreaterThan(50);
                assertThat(failover.waitedForStandby()).as("a commit waited for the stalled standby").isTrue();
                assertThat(failover.lost()).as("acknowledged commits missing on the new primary").isEmpty();
            }
        });
    }

    @Test
    void anAsynchronousStandbyLosesWhatWasAcknowledgedWhileItsStreamStalled() {
        assertTimeoutPreemptively(BOUND, () -> {
            try (ReplicatedPostgres pair = ReplicatedPostgres.start(PostgresSettings.forTests(), Replication.ASYNCHRONOUS)) {
                Failover failover = commitThroughAStalledFailover(pair);

                // the control: the same check on a pair that does not wait for its standby finds the loss
                // (every commit begun after the stall, all but perhaps the one under way when it began)
                assertThat(failover.waitedForStandby()).isFalse();
                assertThat(failover.lost()).hasSizeGreaterThanOrEqualTo(AFTER_STALL - 1);
            }
        });
    }

    @Test
    void aKilledPrimaryServesNoOldConnectionAndTheStandbyTakesOverOnlyWhenPromoted() {
        assertTimeoutPreemptively(BOUND, () -> {
            try (ReplicatedPostgres pair = ReplicatedPostgres.start(PostgresSettings.forTests(), Replication.SYNCHRONOUS);
                 Connection old = pair.connect("postgres")) {
                assertThat(old.isValid(5)).isTrue();

                pair.killPrimary();

                assertThatThrownBy(() -> query(old, "SELECT 1")).isInstanceOf(SQLException.class);
                // the standby answers, but is not a primary: targetServerType=primary finds none
                assertThatThrownBy(() -> pair.connect("postgres")).isInstanceOf(SQLException.class);
                pair.promoteStandby();
                try (Connection promoted = pair.connect("postgres")) {
                    assertThat(query(promoted, "SELECT pg_is_in_recovery()::text")).isEqualTo("false");
                }
            }
        });
    }

    @Test
    void theFormerPrimaryRewoundAsAStandbyTakesOverInTurnWithEverything() {
        assertTimeoutPreemptively(BOUND, () -> {
            try (ReplicatedPostgres pair = ReplicatedPostgres.start(PostgresSettings.forTests(), Replication.SYNCHRONOUS)) {
                execute(pair, "CREATE TABLE kept (n int PRIMARY KEY); INSERT INTO kept VALUES (1)");
                pair.killPrimary();
                pair.promoteStandby();
                execute(pair, "INSERT INTO kept VALUES (2)");

                pair.reattachFormerPrimary(Replication.SYNCHRONOUS);
                execute(pair, "INSERT INTO kept VALUES (3)");
                pair.killPrimary();
                pair.promoteStandby();

                assertThat(pair.describe()).startsWith("primary a ");
                try (Connection db = pair.connectToPrimary("postgres")) {
                    assertThat(query(db, "SELECT string_agg(n::text, ',' ORDER BY n) FROM kept")).isEqualTo("1,2,3");
                }
            }
        });
    }

    @Test
    void nothingOutlivesThePairWhenClosedOrWhenItsJvmIsKilled() throws Exception {
        assertTimeoutPreemptively(BOUND, () -> {
            ReplicatedPostgres pair = ReplicatedPostgres.start(PostgresSettings.forTests(), Replication.SYNCHRONOUS);
            Path folder;
            List<Long> servers;
            try (pair) {
                folder = folderOf(pair);
                servers = postmasters(folder);
                assertThat(servers).hasSize(2);
            }
            assertThat(folder).doesNotExist();
            servers.forEach(ReplicatedPostgresIT::awaitStopped);

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    PairHolder.class.getName()).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
                String[] report = readReport(out);
                Path held = Path.of(report[1]);
                List<Long> heldServers = postmasters(held);
                assertThat(heldServers).hasSize(2);

                holder.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs in that JVM
                holder.waitFor(30, TimeUnit.SECONDS);

                awaitStopped(Long.parseLong(report[2]));
                heldServers.forEach(ReplicatedPostgresIT::awaitStopped);
                assertThat(held).doesNotExist();
            } finally {
                holder.destroyForcibly();
            }
        });
    }

    /** Commits acknowledged after the stall began before the primary is killed (asynchronous: they all return). */
    private static final int AFTER_STALL = 20;

    /** What one writer was told across a failover, what the new primary holds, and whether a commit waited for the standby. */
    private record Failover(Set<Long> acknowledged, Set<Long> present, boolean waitedForStandby) {
        Set<Long> lost() {
            Set<Long> lost = new TreeSet<>(acknowledged);
            lost.removeAll(present);
            return lost;
        }
    }

    /**
     * One writer commits numbered rows, one per transaction, and remembers each commit that returned.
     * The WAL stream is stalled; once the writer either waits for the standby (synchronous) or has
     * had {@link #AFTER_STALL} more commits acknowledged (asynchronous), the primary is killed and
     * the standby promoted. A commit under way then may or may not survive: the standby may have
     * received it without the primary learning so.
     */
    private static Failover commitThroughAStalledFailover(ReplicatedPostgres pair) throws Exception {
        execute(pair, "CREATE TABLE acknowledged (n bigint PRIMARY KEY)");
        Set<Long> acknowledged = new ConcurrentSkipListSet<>();
        AtomicLong writerPid = new AtomicLong();
        boolean waited;
        Thread writer = new Thread(() -> {
            try (Connection db = pair.connect("postgres");
                 PreparedStatement insert = db.prepareStatement("INSERT INTO acknowledged VALUES (?)")) {
                writerPid.set(Long.parseLong(query(db, "SELECT pg_backend_pid()::text")));
                for (long n = 1; ; n++) {
                    insert.setLong(1, n);
                    insert.executeUpdate();
                    acknowledged.add(n);
                }
            } catch (SQLException primaryGone) {
                // the primary died under the writer: the row being written was not acknowledged
            }
        }, "acknowledged-writer");
        writer.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 50);
            try (ReplicatedPostgres.Stall stall = pair.stallReplication()) {
                int before = acknowledged.size();
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        acknowledged.size() >= before + AFTER_STALL || waitsForStandby(pair, writerPid.get()));
                waited = acknowledged.size() < before + AFTER_STALL;
                pair.killPrimary();
            }
            writer.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(writer.isAlive()).as("the writer noticed the primary's death").isFalse();
        } finally {
            writer.interrupt();
        }
        pair.promoteStandby();
        Set<Long> present = new TreeSet<>();
        try (Connection db = pair.connectToPrimary("postgres"); Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery("SELECT n FROM acknowledged")) {
            while (rows.next()) {
                present.add(rows.getLong(1));
            }
        }
        return new Failover(new TreeSet<>(acknowledged), present, waited);
    }

    /** Whether the writer's commit waits for the synchronous standby (wait event SyncRep). */
    private static boolean waitsForStandby(ReplicatedPostgres pair, long pid) throws SQLException {
        try (Connection db = pair.connect("postgres");
             PreparedStatement statement = db.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ?"
                     + " AND wait_event = 'SyncRep'")) {
            statement.setLong(1, pid);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1) == 1;
            }
        }
    }

    private static void execute(ReplicatedPostgres pair, String sql) throws SQLException {
        try (Connection db = pair.connectToPrimary("postgres"); Statement statement = db.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String query(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    /** The pair's folder: where a node's data folder lives, found from the server's own answer. */
    private static Path folderOf(ReplicatedPostgres pair) throws SQLException {
        try (Connection db = pair.connectToPrimary("postgres")) {
            return Path.of(query(db, "SELECT current_setting('data_directory')")).getParent().getParent();
        }
    }

    private static List<Long> postmasters(Path folder) throws Exception {
        List<Long> pids = new ArrayList<>();
        for (String node : List.of("a", "b")) {
            Path pidFile = folder.resolve(node).resolve("data/postmaster.pid");
            if (Files.exists(pidFile)) {
                pids.add(Long.parseLong(Files.readAllLines(pidFile).getFirst().trim()));
            }
        }
        return pids;
    }

    private static String[] readReport(BufferedReader out) throws Exception {
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("PAIR ")) {
                return line.split(" ");
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the holder JVM reported no pair:\n" + seen);
    }

    private static void awaitStopped(long pid) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !ProcessSignals.running(pid));
    }
}
