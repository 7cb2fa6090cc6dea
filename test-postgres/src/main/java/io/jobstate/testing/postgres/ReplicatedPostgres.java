package io.jobstate.testing.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Two throwaway PostgreSQL clusters on free loopback ports, one streaming its WAL to the other —
 * a primary and a standby, made from the server binaries {@link PostgresBinaries} finds — for
 * tests of what a failover does to the service: the primary killed with every one of its processes
 * ({@link #killPrimary()}), the standby promoted ({@link #promoteStandby()}), the former primary
 * re-attached as a standby of the new one with {@code pg_rewind} ({@link #reattachFormerPrimary}),
 * the WAL stream stalled ({@link #stallReplication()}).
 *
 * <p>{@link Replication#SYNCHRONOUS}: a commit returns once the standby has the WAL on disk
 * ({@code synchronous_commit = on}, {@code synchronous_standby_names} naming the standby). That
 * name is set only once the standby streams — set earlier, every commit would wait for a standby
 * that is not there — and only on the primary: a promoted standby has none, so it does not wait for
 * a standby of its own before one is re-attached. {@link Replication#ASYNCHRONOUS}: commits return
 * at once, and the standby follows as fast as it can.
 *
 * <p>On top of the given settings, replication needs {@code synchronous_commit = on},
 * {@code full_page_writes = on} and data checksums (both for pg_rewind), and WAL kept for a
 * re-attached node to catch up from. {@code fsync = off} (the test settings) stays: a killed
 * process loses nothing the operating system holds, and these tests kill processes, not machines.
 *
 * <p>The clusters' folder is owned by a guardian script (replicated-postgres.sh) whose standard
 * input is a pipe from this JVM: whatever ends the JVM, the servers are stopped and the folder is
 * deleted. Needs {@code pg_basebackup} and {@code pg_rewind} next to the server binaries
 * ({@link #missingTools()}): the binaries from Maven Central lack them. Thread-safe (one failover
 * step at a time).
 */
public final class ReplicatedPostgres implements PostgresServer, AutoCloseable {

    /** Whether a commit waits for the standby. */
    public enum Replication { SYNCHRONOUS, ASYNCHRONOUS }

    private static final Logger LOG = Logger.getLogger(ReplicatedPostgres.class.getName());
    private static final String SCRIPT = "replicated-postgres.sh";
    private static final List<String> REPLICATION_TOOLS = List.of("pg_basebackup", "pg_rewind");
    private static final Duration STREAMING_TIMEOUT = Duration.ofSeconds(60);

    private final Guardian guardian;
    private final ReplicaNode first;
    private final ReplicaNode second;
    private ReplicaNode primary;
    private ReplicaNode standby;
    private ReplicaNode down;

    private ReplicatedPostgres(Guardian guardian, ReplicaNode first, ReplicaNode second) {
        this.guardian = guardian;
        this.first = first;
        this.second = second;
    }

    /** The replication tools missing next to the server binaries (empty when a pair can be made). */
    public static List<String> missingTools() {
        Path binaries = PostgresBinaries.locate();
        return REPLICATION_TOOLS.stream().filter(tool -> !Files.isExecutable(binaries.resolve(tool))).toList();
    }

    /**
     * A primary ({@code a}) and a standby ({@code b}) that streams from it, with {@code replication};
     * returns once the standby streams (and, synchronous, is the primary's synchronous standby).
     */
    public static ReplicatedPostgres start(PostgresSettings settings, Replication replication) {
        Path binaries = PostgresBinaries.locate();
        PostgresSettings replicating = settings.with("synchronous_commit", "on").with("full_page_writes", "on")
                .with("wal_keep_size", "256MB");
        Guardian guardian = Guardian.launch(SCRIPT, Map.of("PG_BIN", binaries.toString()),
                "the replicated PostgreSQL clusters");
        ReplicatedPostgres pair;
        try {
            Path root = Path.of(guardian.ready().get(0));
            OwnerCommands tools = new OwnerCommands(binaries, guardian.ready().get(1));
            pair = new ReplicatedPostgres(guardian, node("a", root, tools, replicating), node("b", root, tools, replicating));
        } catch (RuntimeException e) {
            guardian.close();
            throw e;
        }
        try {
            pair.first.initdb();
            pair.first.start();
            pair.second.baseBackupFrom(pair.first);
            pair.second.followAs(pair.first);
            pair.second.start();
            pair.primary = pair.first;
            pair.standby = pair.second;
            pair.awaitStreaming(replication);
            return pair;
        } catch (RuntimeException e) {
            pair.close();
            throw e;
        }
    }

    private static ReplicaNode node(String name, Path root, OwnerCommands tools, PostgresSettings settings) {
        Path folder = root.resolve(name);
        try {
            Files.createDirectories(folder);
            UserPrincipal owner = Files.getOwner(root);
            Files.setOwner(folder, owner);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ReplicaNode(name, LoopbackPorts.free(), folder, tools, settings);
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    /** The current primary's port (the standby's when no primary is up). */
    @Override
    public synchronized int port() {
        return (primary != null ? primary : standby).port();
    }

    @Override
    public String user() {
        return "postgres";
    }

    @Override
    public String password() {
        return "";
    }

    @Override
    public String adminDatabase() {
        return "postgres";
    }

    /**
     * A URL naming both clusters, as a service in front of a failing-over pair names them: pgjdbc
     * tries them in turn and keeps the one that accepts writes ({@code targetServerType=primary}).
     */
    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + first.port() + ",127.0.0.1:" + second.port() + "/" + database
                + "?targetServerType=primary";
    }

    /**
     * A connection to the current primary itself, for a test's own checks. pgjdbc, given both hosts,
     * remembers for {@code hostRecheckSeconds} which one failed or was a standby, and while another
     * host is still a candidate it does not try those — right after a failover, that can be one
     * failed attempt before it finds the new primary.
     */
    public synchronized Connection connectToPrimary(String database) throws SQLException {
        return java.sql.DriverManager.getConnection(primaryUrl(database), user(), password());
    }

    /** The current primary's own URL for {@code database} (see {@link #connectToPrimary}). */
    public synchronized String primaryUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + requirePrimary().port() + "/" + database;
    }

    @Override
    public TestDatabase createDatabase(String prefix) {
        String name = DatabaseNames.next(prefix);
        return createOwnedDatabase(name);
    }

    @Override
    public void drop(TestDatabase database) {
        dropOwnedDatabase(database);
    }

    /** e.g. "primary b (port 41234), standby a (port 41233)". */
    public synchronized String describe() {
        return (primary == null ? "no primary" : "primary " + primary.name() + " (port " + primary.port() + ")")
                + (standby == null ? ", no standby" : ", standby " + standby.name() + " (port " + standby.port() + ")")
                + (down == null ? "" : ", " + down.name() + " down");
    }

    /**
     * Stops the primary's WAL sender(s) (SIGSTOP), as a network that stalls would: the standby
     * receives nothing until the returned stall is closed — synchronous commits wait meanwhile,
     * asynchronous ones return. Killing the primary ends the stall too.
     */
    public synchronized Stall stallReplication() {
        List<Long> senders = new ArrayList<>();
        try (Connection db = requirePrimary().connect(); Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery("SELECT pid FROM pg_stat_replication")) {
            while (rows.next()) {
                senders.add(rows.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list the WAL senders of " + primary, e);
        }
        if (senders.isEmpty()) {
            throw new IllegalStateException(primary + " streams to no standby");
        }
        ProcessSignals.stop(senders);
        return new Stall(senders);
    }

    /** A stalled WAL stream; closing it lets the senders go on (if they still exist). */
    public static final class Stall implements AutoCloseable {
        private final List<Long> senders;

        private Stall(List<Long> senders) {
            this.senders = senders;
        }

        @Override
        public void close() {
            ProcessSignals.resume(senders.stream().filter(ProcessSignals::running).toList());
        }
    }

    /**
     * The primary's machine is lost: its postmaster and every process it started die at once
     * (SIGKILL), so no old connection is served any more. The standby stays a standby.
     */
    public synchronized void killPrimary() {
        ReplicaNode victim = requirePrimary();
        victim.killWithEveryProcess();
        down = victim;
        primary = null;
        LOG.info(() -> "killed " + victim + "; " + describe());
    }

    /** Promotes the standby; returns once it accepts writes. The former primary stays down. */
    public synchronized void promoteStandby() {
        if (standby == null) {
            throw new IllegalStateException("no standby to promote: " + describe());
        }
        if (primary != null) {
            throw new IllegalStateException("the primary still runs (two primaries would both take writes): " + describe());
        }
        standby.promote();
        primary = standby;
        standby = null;
        LOG.info(() -> "promoted " + primary + "; " + describe());
    }

    /**
     * The former primary comes back as a standby of the current one: rewound with {@code pg_rewind}
     * (what it had that the new primary never got is undone), configured to follow, started;
     * returns once it streams and, with {@code replication} synchronous, once the primary waits for it.
     */
    public synchronized void reattachFormerPrimary(Replication replication) {
        if (down == null || primary == null) {
            throw new IllegalStateException("nothing to re-attach: " + describe());
        }
        ReplicaNode returning = down;
        // pg_rewind reads the source's timeline from its control file, which a promotion updates only
        // at the next checkpoint: without one, it finds "the same timeline" and rewinds nothing
        requirePrimaryStatement("CHECKPOINT");
        try {
            returning.rewindFrom(primary);
            returning.followAs(primary);
            returning.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("re-attaching " + returning + " failed; its log:\n" + returning.logTail(), e);
        }
        standby = returning;
        down = null;
        awaitStreaming(replication);
        LOG.info(() -> "re-attached " + returning + " (" + replication + "); " + describe());
    }

    /** Waits until the standby streams from the primary; then, synchronous, names it the synchronous standby. */
    private void awaitStreaming(Replication replication) {
        awaitReplicationState("streaming", "state");
        if (replication == Replication.SYNCHRONOUS) {
            // quoted: a standby name is an identifier in this setting's grammar
            requirePrimaryStatement("ALTER SYSTEM SET synchronous_standby_names = '\"" + standby.name() + "\"'");
            requirePrimaryStatement("SELECT pg_reload_conf()");
            awaitReplicationState("sync", "sync_state");
        }
    }

    private void awaitReplicationState(String expected, String column) {
        long deadline = System.nanoTime() + STREAMING_TIMEOUT.toNanos();
        String sql = "SELECT " + column + " FROM pg_stat_replication WHERE application_name = ?";
        while (true) {
            try (Connection db = primary.connect(); PreparedStatement statement = db.prepareStatement(sql)) {
                statement.setString(1, standby.name());
                try (ResultSet rows = statement.executeQuery()) {
                    if (rows.next() && expected.equals(rows.getString(1))) {
                        return;
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot ask " + primary + " about its standby", e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(standby + " did not become '" + expected + "' (" + column + ") within "
                        + STREAMING_TIMEOUT + "; its log:\n" + standby.logTail());
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50); // the state is the server's; asking again is the only way to wait for it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + standby, e);
            }
        }
    }

    private void requirePrimaryStatement(String sql) {
        try (Connection db = requirePrimary().connect(); Statement statement = db.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("'" + sql + "' failed on " + primary, e);
        }
    }

    private ReplicaNode requirePrimary() {
        if (primary == null) {
            throw new IllegalStateException("no primary: " + describe());
        }
        return primary;
    }

    /** The guardian's process id, so tests can prove that nothing outlives the clusters. */
    public long guardianPid() {
        return guardian.pid();
    }

    @Override
    public void close() {
        guardian.close();
    }
}
