package io.jobstate.testing.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One member of a {@link PatroniCluster}: its folder ({@code patroni.yml}, {@code patroni.log} —
 * Patroni's output and its PostgreSQL's —, {@code data}, the Unix socket), its two ports
 * (PostgreSQL, Patroni's REST API) and its Patroni process, which starts and stops its PostgreSQL.
 * Its cluster starts, kills and freezes it one step at a time; its state may be read meanwhile.
 */
final class PatroniMember {

    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(30);
    /** Bounds on the harness's own connections: a frozen member accepts TCP and then never answers. */
    private static final String CONNECTION_BOUNDS = "?connectTimeout=2&loginTimeout=4&socketTimeout=10";
    /** The superuser the configuration names. */
    static final String SUPERUSER = "postgres";

    private final String name;
    private final int port;
    private final int restPort;
    private final Path folder;
    private final OwnerCommands owner;
    private final String superuserPassword;
    private final Postmaster postmaster;
    private volatile Process patroni;

    PatroniMember(String name, int port, int restPort, Path folder, OwnerCommands owner, String superuserPassword) {
        this.name = name;
        this.port = port;
        this.restPort = restPort;
        this.folder = folder;
        this.owner = owner;
        this.superuserPassword = superuserPassword;
        this.postmaster = new Postmaster(folder, port);
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    int restPort() {
        return restPort;
    }

    /** The values of the configuration's placeholders that differ from member to member. */
    Map<String, String> placeholders() {
        return Map.of("MEMBER", name, "REST_LISTEN", "127.0.0.1:" + restPort, "REST_ADDRESS", "127.0.0.1:" + restPort,
                "PG_LISTEN", "127.0.0.1:" + port, "PG_ADDRESS", "127.0.0.1:" + port,
                "DATA_DIR", postmaster.data().toString(), "SOCKET_DIR", folder.toString(),
                "PGPASS", folder.resolve("pgpass").toString());
    }

    /** Makes the folder (the owner's, private) and writes the configuration (it holds passwords). */
    void prepare(String configuration, UserPrincipal ownerPrincipal) {
        try {
            Files.createDirectories(folder);
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
            Files.setOwner(folder, ownerPrincipal);
            Path file = configuration();
            Files.writeString(file, configuration, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            Files.setOwner(file, ownerPrincipal);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts Patroni, which then bootstraps, clones, or starts and rejoins this member's PostgreSQL. */
    void start() {
        if (patroni != null && patroni.isAlive()) {
            throw new IllegalStateException(this + " runs already");
        }
        patroni = owner.spawn(folder.resolve("patroni.log").toFile(),
                Map.of("HOME", folder.toString(), "LANG", "C.UTF-8"), "patroni", configuration().toString());
    }

    boolean patroniRuns() {
        return patroni != null && patroni.isAlive();
    }

    /**
     * Stops (SIGSTOP) Patroni and then PostgreSQL with every process of both, so that none can
     * react to the others' fate; returns them all. Patroni first: it would notice a stopped
     * PostgreSQL and act.
     */
    List<Long> stopEveryProcess() {
        List<Long> stopped = new ArrayList<>(stopPatroni());
        stopped.addAll(postmaster.stopEveryProcess().processes());
        return stopped;
    }

    /**
     * What the loss of the machine does to this member: Patroni, PostgreSQL and every process of
     * theirs die at once with SIGKILL (all stopped first). Returns once every one has ended and
     * what the killed server left is removed; the member can be started again.
     */
    void kill() {
        List<Long> everyone = new ArrayList<>(stopPatroni());
        Postmaster.Stopped server = postmaster.stopEveryProcess();
        everyone.addAll(server.processes());
        if (everyone.isEmpty()) {
            throw new IllegalStateException(this + " runs no process");
        }
        ProcessSignals.kill(everyone);
        ProcessSignals.awaitEnded(everyone, KILL_TIMEOUT);
        if (!server.processes().isEmpty()) {
            postmaster.forgetKilled(server);
        }
        patroni = null;
    }

    /** Stops Patroni and the tools it runs now (pg_rewind, pg_basebackup …); returns them. */
    private List<Long> stopPatroni() {
        Process running = patroni;
        if (running == null || !running.isAlive()) {
            return List.of();
        }
        ProcessSignals.stop(List.of(running.pid()));
        List<Long> stopped = new ArrayList<>(List.of(running.pid()));
        List<Long> tools = ProcessSignals.children(running.pid());
        ProcessSignals.stop(tools);
        stopped.addAll(tools);
        return stopped;
    }

    /** A connection to this member's PostgreSQL itself as the superuser, whatever its role, with bounded waits. */
    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database + CONNECTION_BOUNDS,
                SUPERUSER, superuserPassword);
    }

    /** Whether this member's PostgreSQL answers and is not in recovery. */
    boolean acceptsWrites() {
        try (Connection db = connect("postgres"); Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery("SELECT NOT pg_is_in_recovery()")) {
            return rows.next() && rows.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Whether {@code standby} streams from this member's PostgreSQL as its synchronous standby. */
    boolean streamsSynchronouslyTo(String standby) {
        try (Connection db = connect("postgres");
             PreparedStatement statement = db.prepareStatement("SELECT count(*) FROM pg_stat_replication"
                     + " WHERE application_name = ? AND state = 'streaming' AND sync_state = 'sync'")) {
            statement.setString(1, standby);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getLong(1) == 1;
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /** Patroni's log, with its PostgreSQL's output. */
    List<String> log() {
        try {
            return Files.readAllLines(folder.resolve("patroni.log"));
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last lines of {@link #log()} that are not Patroni's "no action" heartbeat, for failure messages. */
    String logTail() {
        List<String> lines = log().stream().filter(line -> !line.contains("INFO: no action.")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private Path configuration() {
        return folder.resolve("patroni.yml");
    }

    @Override
    public String toString() {
        return "member " + name + " (PostgreSQL port " + port + ", Patroni port " + restPort + ")";
    }
}
