package io.jobstate.testing.postgres;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A throwaway PostgreSQL cluster under Patroni, as operators run one: one etcd member and two
 * PostgreSQL members ({@code a}, {@code b}) with synchronous replication, configured by the
 * repository's {@code ops/patroni/patroni.yml}, on free loopback ports, from the server binaries
 * {@link PostgresBinaries} finds (pg_basebackup and pg_rewind are needed). For tests of what
 * Patroni's failovers do to the service: a member's machine lost ({@link #kill}), a planned
 * {@link #switchover}, a member cut off without its connections being reset ({@link #freeze}).
 *
 * <p>The service connects with {@link #jdbcUrl} (pgjdbc's multi-host URL, primary only) as the owner
 * of a database of its own ({@link #createDatabase}); the harness's own connections go to one member
 * as the superuser ({@link #connectTo}). Who leads is Patroni's answer ({@code GET /cluster},
 * {@link #view()}); the waits are bounded and say, when they fail, what Patroni last said.
 *
 * <p>The cluster's folder is owned by a guardian script (patroni-cluster.sh) whose standard input is
 * a pipe from this JVM: whatever ends the JVM, etcd, both Patroni and both PostgreSQL end and the
 * folder is deleted. Thread-safe; one disruption (kill, start, switchover, freeze) at a time.
 */
public final class PatroniCluster implements PostgresServer, AutoCloseable {

    /** The members' names, also their replication {@code application_name}. */
    public static final List<String> MEMBERS = List.of("a", "b");
    /** Far longer than a failover (Patroni's ttl, a status request to a frozen leader, a promotion) takes when loaded. */
    public static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(90);
    private static final Logger LOG = Logger.getLogger(PatroniCluster.class.getName());
    private static final String SCRIPT = "patroni-cluster.sh";
    /** Bootstrap (initdb), the clone of the second member and its first synchronous confirmation. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /** Patroni's and PostgreSQL's state: asking again is the only way to wait for it. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private final Guardian guardian;
    private final Map<String, PatroniMember> members;
    private final PatroniSecrets secrets;
    private final PatroniRest rest;
    private final Set<String> frozen = ConcurrentHashMap.newKeySet();

    private PatroniCluster(Guardian guardian, Map<String, PatroniMember> members, PatroniSecrets secrets) {
        this.guardian = guardian;
        this.members = members;
        this.secrets = secrets;
        this.rest = new PatroniRest(secrets.rest());
    }

    /** What this machine lacks to run a cluster (empty when it has everything). */
    public static List<String> missingTools() {
        List<String> missing = new ArrayList<>();
        if (!onPath("patroni")) {
            missing.add("patroni (Debian: apt-get install patroni)");
        }
        if (!onPath("etcd")) {
            missing.add("etcd (Debian: apt-get install etcd-server)");
        }
        missing.addAll(ReplicatedPostgres.missingTools());
        return missing;
    }

    /** Starts etcd and both members; returns once one leads and the other is its streaming synchronous standby. */
    public static PatroniCluster start() {
        Path binaries = PostgresBinaries.locate();
        Guardian guardian = Guardian.launch(SCRIPT, Map.of("PG_BIN", binaries.toString()), "the Patroni cluster");
        PatroniCluster cluster;
        Path root;
        List<Integer> ports;
        try {
            root = Path.of(guardian.ready().get(0));
            OwnerCommands owner = new OwnerCommands(binaries, guardian.ready().get(1));
            ports = LoopbackPorts.free(2 + 2 * MEMBERS.size());
            PatroniSecrets secrets = PatroniSecrets.random();
            Map<String, PatroniMember> members = new LinkedHashMap<>();
            for (int i = 0; i < MEMBERS.size(); i++) {
                String name = MEMBERS.get(i);
                members.put(name, new PatroniMember(name, ports.get(2 + 2 * i), ports.get(3 + 2 * i), root.resolve(name),
                        owner, secrets.superuser()));
            }
            cluster = new PatroniCluster(guardian, members, secrets);
        } catch (RuntimeException e) {
            guardian.close();
            throw e;
        }
        try {
            Etcd etcd = Etcd.start(root, ports.get(0), ports.get(1));
            cluster.configureMembers(root, Map.of("CLUSTER", "jobstate", "ETCD_HOSTS", etcd.clientAddress(),
                    "PG_BIN", binaries.toString(), "NETWORK", "127.0.0.1/32", "WATCHDOG_MODE", "off"));
            cluster.members.values().forEach(PatroniMember::start);
            cluster.awaitStreaming(START_TIMEOUT);
            LOG.info(() -> "Patroni cluster in " + root + ": " + cluster.describe());
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void configureMembers(Path root, Map<String, String> shared) {
        try {
            for (PatroniMember member : members.values()) {
                Map<String, String> values = new LinkedHashMap<>(shared);
                values.putAll(secrets.placeholders());
                values.putAll(member.placeholders());
                member.prepare(PatroniConfiguration.fill(values), Files.getOwner(root));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- PostgresServer: the superuser, through the multi-host URL ----

    @Override
    public String host() {
        return "127.0.0.1";
    }

    /** The leading member's PostgreSQL port, as Patroni says now. */
    @Override
    public int port() {
        return member(leader()).port();
    }

    @Override
    public String user() {
        return PatroniMember.SUPERUSER;
    }

    @Override
    public String password() {
        return secrets.superuser();
    }

    @Override
    public String adminDatabase() {
        return "postgres";
    }

    /**
     * The URL a service uses: every member, and pgjdbc keeps the one that accepts writes
     * ({@code targetServerType=primary}). Further options are appended with {@code &}.
     */
    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + members.values().stream().map(m -> "127.0.0.1:" + m.port())
                .collect(Collectors.joining(",")) + "/" + database + "?targetServerType=primary";
    }

    /** As the superuser, through {@link #jdbcUrl}, with a bounded login and statement wait. */
    @Override
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database) + "&loginTimeout=10&socketTimeout=60", user(), password());
    }

    /**
     * A database owned by a migration role, with a runtime role beside it (both log in with a
     * password: the members' {@code pg_hba.conf} asks every TCP connection for one): what the
     * service needs. The URL is {@link #jdbcUrl}.
     */
    @Override
    public TestDatabase createDatabase(String prefix) {
        return createOwnedDatabase(DatabaseNames.next(prefix));
    }

    @Override
    public void drop(TestDatabase database) {
        dropOwnedDatabase(database);
    }

    /** A connection to {@code member} itself as the superuser, whatever its role, with bounded waits. */
    public Connection connectTo(String member, String database) throws SQLException {
        return member(member).connect(database);
    }

    /** {@code member}'s PostgreSQL port. */
    public int port(String member) {
        return member(member).port();
    }

    // ---- what Patroni says ----

    /**
     * The cluster as Patroni describes it, asked of the first member whose Patroni answers (frozen
     * members last: they never answer).
     */
    public PatroniView view() {
        List<PatroniMember> asked = members.values().stream().filter(PatroniMember::patroniRuns)
                .sorted((x, y) -> Boolean.compare(frozen.contains(x.name()), frozen.contains(y.name()))).toList();
        for (PatroniMember member : asked) {
            Optional<PatroniView> answer = rest.cluster(member.restPort());
            if (answer.isPresent()) {
                return answer.get();
            }
        }
        throw new IllegalStateException("no member's Patroni answers (" + asked + ")");
    }

    /** The member leading now, with its PostgreSQL running, as Patroni says. */
    public String leader() {
        PatroniView view = view();
        return view.runningLeader().orElseThrow(() -> new IllegalStateException("no running leader: " + view));
    }

    /** Waits until {@code member} leads and its PostgreSQL accepts writes. */
    public void awaitLeader(String member, Duration timeout) {
        PatroniMember awaited = member(member);
        await(member + " leading and accepting writes", timeout,
                () -> view().runningLeader().filter(member::equals).isPresent() && awaited.acceptsWrites());
    }

    /** Waits until a member other than {@code former} leads and accepts writes; returns its name. */
    public String awaitLeaderOtherThan(String former, Duration timeout) {
        AtomicReference<String> leader = new AtomicReference<>();
        await("a leader other than " + former + " accepting writes", timeout, () -> {
            Optional<String> now = view().runningLeader().filter(name -> !name.equals(former));
            now.ifPresent(leader::set);
            return now.isPresent() && member(now.get()).acceptsWrites();
        });
        return leader.get();
    }

    /**
     * Waits until a member leads and the other streams from it as its synchronous standby: Patroni
     * names it so ({@code sync_standby}, running) and the leader's {@code pg_stat_replication} shows
     * it {@code streaming} and {@code sync}. From then on a commit returns only once both have it.
     */
    public void awaitStreaming(Duration timeout) {
        await("a leader and a streaming synchronous standby", timeout, () -> {
            PatroniView view = view();
            Optional<String> leader = view.runningLeader();
            Optional<String> standby = view.synchronousStandby().map(PatroniView.Member::name);
            return leader.isPresent() && standby.isPresent() && member(leader.get()).streamsSynchronouslyTo(standby.get());
        });
    }

    // ---- disruptions ----

    /**
     * The loss of {@code member}'s machine: its Patroni and its PostgreSQL, with every process of
     * theirs, die at once (SIGKILL). Its leader key, if it led, expires after Patroni's {@code ttl}.
     */
    public synchronized void kill(String member) {
        member(member).kill();
        LOG.info(() -> "killed member " + member);
    }

    /** Starts a killed member's Patroni again: it recovers, rewinds if it must, and rejoins as a standby. */
    public synchronized void startAgain(String member) {
        member(member).start();
        LOG.info(() -> "started member " + member + " again");
    }

    /**
     * A planned switchover to {@code candidate} ({@code POST /switchover} to the leader, as
     * {@code patronictl switchover} does); returns once the candidate leads and accepts writes.
     */
    public synchronized void switchover(String candidate, Duration timeout) {
        String leader = leader();
        if (leader.equals(candidate)) {
            throw new IllegalStateException(candidate + " leads already");
        }
        String answer = rest.switchover(member(leader).restPort(), leader, member(candidate).name());
        LOG.info(() -> "switchover " + leader + " → " + candidate + ": " + answer);
        awaitLeader(candidate, timeout);
    }

    /**
     * {@code member} disappears from the network without a reset: its Patroni and its PostgreSQL,
     * every process of both, are stopped (SIGSTOP). Connections to it stay open and unanswered; its
     * leader key, if it led, expires. Closing the returned handle (or {@link FrozenMember#thaw()})
     * resumes them all at once (SIGCONT): Patroni then finds it no longer leads and demotes its
     * PostgreSQL.
     */
    public synchronized FrozenMember freeze(String member) {
        List<Long> stopped = member(member).stopEveryProcess();
        if (stopped.isEmpty()) {
            throw new IllegalStateException("member " + member + " runs no process");
        }
        frozen.add(member);
        LOG.info(() -> "froze member " + member + " (" + stopped.size() + " processes)");
        return new FrozenMember(member, stopped, () -> {
            frozen.remove(member);
            LOG.info(() -> "thawed member " + member);
        });
    }

    /** e.g. "a leader/running tl 2, b sync_standby/running tl 2", with the frozen members, or why there is no answer. */
    public String describe() {
        try {
            return view() + (frozen.isEmpty() ? "" : " (frozen: " + frozen + ")");
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /** {@code member}'s log so far: Patroni's output and its PostgreSQL's. */
    public List<String> log(String member) {
        return member(member).log();
    }

    private void await(String what, Duration timeout, Callable<Boolean> condition) {
        try {
            Awaitility.await(what).atMost(timeout).pollInSameThread().pollInterval(POLL_INTERVAL)
                    .ignoreExceptionsInstanceOf(IllegalStateException.class).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("no " + what + " within " + timeout + "; Patroni says: " + describe()
                    + members.values().stream().map(m -> "\n--- " + m + ":\n" + m.logTail()).collect(Collectors.joining()),
                    e);
        }
    }

    private PatroniMember member(String name) {
        PatroniMember member = members.get(name);
        if (member == null) {
            throw new IllegalArgumentException("no member " + name + " (members: " + members.keySet() + ")");
        }
        return member;
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && List.of(path.split(File.pathSeparator)).stream()
                .anyMatch(dir -> !dir.isBlank() && Files.isExecutable(Path.of(dir, program)));
    }

    /** The guardian's process id, so tests can prove that nothing outlives the cluster. */
    public long guardianPid() {
        return guardian.pid();
    }

    @Override
    public void close() {
        try {
            rest.close();
        } finally {
            guardian.close();
        }
    }
}
