package io.jobstate.testing.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/**
 * One PostgreSQL cluster of a {@link ReplicatedPostgres}: its folder ({@code data}, the socket,
 * {@code server.log}), its port and name (also its {@code cluster_name}, which a standby's WAL
 * receiver reports as its {@code application_name}), and what can be done to it with the server
 * binaries. Not thread-safe: its {@link ReplicatedPostgres} drives it.
 */
final class ReplicaNode {

    private static final Logger LOG = Logger.getLogger(ReplicaNode.class.getName());
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);

    private final String name;
    private final int port;
    private final Path folder;
    private final OwnerCommands tools;
    private final PostgresSettings settings;
    private final Postmaster postmaster;

    ReplicaNode(String name, int port, Path folder, OwnerCommands tools, PostgresSettings settings) {
        this.name = name;
        this.port = port;
        this.folder = folder;
        this.tools = tools;
        this.settings = settings;
        this.postmaster = new Postmaster(folder, port);
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    Path data() {
        return postmaster.data();
    }

    /**
     * A new, empty cluster (for the first primary), with data checksums: pg_rewind needs them (or
     * {@code wal_log_hints}, which it reads from the control file — and the crash recovery it runs
     * first would record the configuration file's value there, not this command line's).
     */
    void initdb() {
        tools.run(TOOL_TIMEOUT, "initdb", "-D", data().toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                "--no-locale", "--no-sync", "--data-checksums");
        appendOwned(data().resolve("postgresql.conf"), "\n# ReplicatedPostgres\n" + settings.asConfigurationLines());
    }

    /** A copy of the running {@code primary}, made with {@code pg_basebackup} (WAL streamed alongside). */
    void baseBackupFrom(ReplicaNode primary) {
        tools.run(TOOL_TIMEOUT, "pg_basebackup", "-D", data().toString(), "-h", "127.0.0.1", "-p",
                Integer.toString(primary.port), "-U", "postgres", "-X", "stream", "-c", "fast", "--no-sync");
    }

    /**
     * Rewinds this stopped (or killed) former primary to where {@code primary}'s timeline forked
     * from its own, with {@code pg_rewind}: what only this node had — transactions the new primary
     * never received — is undone. A node that was not shut down cleanly is crash-recovered first
     * (pg_rewind does that itself since PostgreSQL 13).
     */
    void rewindFrom(ReplicaNode primary) {
        String said = tools.run(TOOL_TIMEOUT, "pg_rewind", "-D", data().toString(), "--no-sync",
                "--source-server=host=127.0.0.1 port=" + primary.port + " user=postgres dbname=postgres");
        LOG.info(() -> "pg_rewind of " + this + " from " + primary + ":\n" + said);
    }

    /**
     * Makes this stopped node a standby of {@code primary}: {@code standby.signal}, and a
     * {@code postgresql.auto.conf} holding only the connection to the primary. Whatever the file held
     * before goes: a base backup or a rewind copies the primary's, and a standby that inherited
     * {@code synchronous_standby_names} would, once promoted, wait for ever for a standby of its own.
     */
    void followAs(ReplicaNode primary) {
        writeOwned(data().resolve("standby.signal"), "");
        writeOwned(data().resolve("postgresql.auto.conf"), "primary_conninfo = 'host=127.0.0.1 port=" + primary.port
                + " user=postgres application_name=" + name + "'\n");
    }

    /**
     * Starts the server. Only what differs between the nodes is on the command line; the settings
     * are in {@code postgresql.conf} (written by {@link #initdb()}, copied by base backups and
     * rewinds), so that the crash recovery pg_rewind runs in single-user mode keeps WAL as the
     * server does — with the defaults, its checkpoint would recycle the WAL pg_rewind then needs.
     */
    void start() {
        tools.run(TOOL_TIMEOUT, "pg_ctl", "-D", data().toString(), "-l", folder.resolve("server.log").toString(), "-w",
                "-t", "60", "-o", "-p " + port + " -k " + folder + " -c listen_addresses=127.0.0.1 -c cluster_name="
                        + name, "start");
    }

    /** Ends recovery: this standby becomes a primary, on a new timeline. Returns once it accepts writes. */
    void promote() {
        tools.run(TOOL_TIMEOUT, "pg_ctl", "-D", data().toString(), "-w", "-t", "60", "promote");
    }

    /**
     * What the loss of the machine does to this node: the postmaster and every process it started
     * (backends, WAL sender, checkpointer …) die at once with SIGKILL, so that no backend keeps
     * serving an old connection. All of them are stopped first ({@link Postmaster#stopEveryProcess()}).
     * Returns once every one has ended.
     */
    void killWithEveryProcess() {
        Postmaster.Stopped everyone = postmaster.stopEveryProcess();
        if (everyone.processes().isEmpty()) {
            throw new IllegalStateException(name + " is not running");
        }
        ProcessSignals.kill(everyone.processes());
        ProcessSignals.awaitEnded(everyone.processes(), Duration.ofSeconds(30));
        postmaster.forgetKilled(everyone);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
    }

    /** The last lines of the server's log, for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(folder.resolve("server.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void appendOwned(Path file, String content) {
        writeOwned(file, content, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Writes a file of the cluster, owned by the cluster's owner (this JVM may run as root). */
    private void writeOwned(Path file, String content, OpenOption... options) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8, options);
            UserPrincipal owner = Files.getOwner(data());
            if (!Files.getOwner(file).equals(owner)) {
                Files.setOwner(file, owner);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "node " + name + " (port " + port + ")";
    }
}
