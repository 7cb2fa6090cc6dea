package io.jobstate.testing.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Patroni harness on the real thing (Debian's patroni and etcd-server, the repository's
 * ops/patroni/patroni.yml): a leader and a synchronous standby come up; a writer's acknowledged
 * commits all survive a SIGKILL failover, a switchover and a frozen leader's replacement; the
 * killed and the frozen former leaders rejoin as synchronous standbys; a frozen leader, thawed,
 * acknowledges no write; nothing outlives the cluster or its JVM. Prints the gaps it measures.
 *
 * <p>Skipped loudly without patroni, etcd, pg_basebackup or pg_rewind; with {@code CI=true} it fails
 * instead ({@code .ci/run} installs them).
 */
class PatroniClusterIT {

    private static final Duration BOUND = Duration.ofMinutes(5);
    private static final Duration FAILOVER = PatroniCluster.FAILOVER_TIMEOUT;
    /**
     * The writer's URL options: the service's (docs/operations.md), and a socket timeout, so that a
     * statement sent to a frozen leader (or a login to it) gives up and the next member is tried.
     */
    private static final String WRITER_OPTIONS =
            "&connectTimeout=2&loginTimeout=10&socketTimeout=3&hostRecheckSeconds=1&tcpKeepAlive=true";
    private static final int WARM_UP = 50;

    @BeforeAll
    static void patroniAndEtcdArePresent() {
        List<String> missing = PatroniCluster.missingTools();
        if (!missing.isEmpty()) {
            String message = "PATRONI TESTS NOT RUN: " + missing + " missing. Install Debian's patroni and etcd-server"
                    + " (.ci/run does).";
            System.err.println("\n!!!!! " + message + "\n");
            assertThat(System.getenv("CI")).as(message).isNotEqualTo("true");
            Assumptions.abort(message);
        }
    }

    @Test
    void comesUpWithALeaderAndAStreamingSynchronousStandbyAndTheServiceRoleWritesThroughTheUrl() {
        assertTimeoutPreemptively(BOUND, () -> {
            try (PatroniCluster cluster = PatroniCluster.start()) {
                PatroniView view = cluster.view();
                String leader = cluster.leader();
                String standby = view.synchronousStandby().orElseThrow().name();

                assertThat(view.members()).extracting(PatroniView.Member::name)
                        .containsExactlyInAnyOrderElementsOf(PatroniCluster.MEMBERS);
                assertThat(standby).isNotEqualTo(leader);
                try (Connection db = cluster.connectTo(leader, "postgres")) {
                    assertThat(query(db, "SHOW synchronous_commit")).isEqualTo("on");
                    assertThat(query(db, "SHOW synchronous_standby_names")).contains(standby);
                }
                TestDatabase database = cluster.createDatabase("patroni");
                try (Connection db = database.connect(database.migration()); Statement statement = db.createStatement()) {
                    statement.execute("CREATE TABLE owned (n int)");
                    statement.execute("INSERT INTO owned VALUES (1)");
                    assertThat(query(db, "SELECT current_user")).isEqualTo(database.migration().user());
                    assertThat(query(db, "SELECT inet_server_port()::text")).isEqualTo(Integer.toString(cluster.port(leader)));
                }
                cluster.drop(database);
            }
        });
    }

    @Test
    void everyCommitAcknowledgedBeforeTheLeaderIsKilledIsOnTheNewLeaderAndTheKilledMemberRejoins() {
        assertTimeoutPreemptively(BOUND, () -> {
            try (PatroniCluster cluster = PatroniCluster.start()) {
                TestDatabase database = cluster.createDatabase("kill");
                String former = cluster.leader();
                Path folder = folderOf(cluster);
                Duration patroni;
                Duration client;
                try (AcknowledgedWriter writer = new AcknowledgedWriter(database, WRITER_OPTIONS)) {
                    writer.awaitAcknowledged(WARM_UP);
                    Set<Path> segments = dynamicSharedMemoryOf(folder, former);
                    cluster.kill(former);
                    long killed = System.nanoTime();
                    assertThat(segments).as("the killed server's dynamic shared memory").isNotEmpty()
                            .allSatisfy(segment -> assertThat(segment).doesNotExist());
                    String leader = cluster.awaitLeaderOtherThan(former, FAILOVER);
                    patroni = Duration.ofNanos(System.nanoTime() - killed);
                    client = writer.awaitFirstAcknowledgedAfter(killed, FAILOVER);
                    writer.stop();

                    try (Connection db = cluster.connectTo(leader, database.name())) {
                        assertThat(writer.missingOn(db)).as("acknowledged commits missing on the new leader").isEmpty();
                    }
                }
                System.out.printf("patroni [kill]: leader SIGKILLed → new leader accepting writes: %d ms (Patroni),"
                        + " first commit acknowledged to the writer: %d ms%n", patroni.toMillis(), client.toMillis());

                cluster.startAgain(former);
                cluster.awaitStreaming(FAILOVER);
                assertThat(cluster.view().synchronousStandby().orElseThrow().name()).isEqualTo(former);
            }
        });
    }

    @Test
    void aSwitchoverMovesTheLeaderAndLosesNothingAcknowledged() {
        assertTimeoutPreemptively(BOUND, () -> {
            try (PatroniCluster cluster = PatroniCluster.start()) {
                TestDatabase database = cluster.createDatabase("switchover");
                String former = cluster.leader();
                String candidate = PatroniCluster.MEMBERS.stream().filter(m -> !m.equals(former)).findFirst().orElseThrow();
                Duration switchover;
                Duration pause;
                try (AcknowledgedWriter writer = new AcknowledgedWriter(database, WRITER_OPTIONS)) {
                    writer.awaitAcknowledged(WARM_UP);
                    long asked = System.nanoTime();
                    cluster.switchover(candidate, FAILOVER);
                    long switched = System.nanoTime();
                    switchover = Duration.ofNanos(switched - asked);
                    writer.awaitFirstAcknowledgedAfter(switched, FAILOVER);
                    writer.stop();
                    pause = writer.longestPause(asked, switched);

                    assertThat(cluster.leader()).isEqualTo(candidate);
                    try (Connection db = cluster.connectTo(candidate, database.name())) {
                        assertThat(writer.missingOn(db)).as("acknowledged commits missing on the new leader").isEmpty();
                    }
                }
                System.out.printf("patroni [switchover]: request → new leader accepting writes: %d ms; the writer's"
                        + " longest wait for an acknowledgement across it: %d ms%n", switchover.toMillis(), pause.toMillis());

                cluster.awaitStreaming(FAILOVER);
                assertThat(cluster.view().synchronousStandby().orElseThrow().name()).isEqualTo(former);
            }
        });
    }

    @Test
    void aFrozenLeaderIsReplacedAcknowledgesNothingOnceThawedAndRejoinsAsTheSynchronousStandby() {
        assertTimeoutPreemptively(BOUND, () -> {
            try (PatroniCluster cluster = PatroniCluster.start()) {
                TestDatabase database = cluster.createDatabase("freeze");
                String former = cluster.leader();
                Duration patroni;
                Duration client;
                try (AcknowledgedWriter writer = new AcknowledgedWriter(database, WRITER_OPTIONS);
                     Connection stale = cluster.connectTo(former, database.name())) {
                    writer.awaitAcknowledged(WARM_UP);
                    String leader;
                    try (FrozenMember freeze = cluster.freeze(former)) {
                        long frozen = System.nanoTime();
                        leader = cluster.awaitLeaderOtherThan(former, FAILOVER);
                        patroni = Duration.ofNanos(System.nanoTime() - frozen);
                        client = writer.awaitFirstAcknowledgedAfter(frozen, FAILOVER);
                        freeze.thaw();
                        // the old leader's PostgreSQL runs again until its Patroni sees the lost lock:
                        // a commit there waits for a synchronous standby that now leads elsewhere
                        assertThatThrownBy(() -> execute(stale, "INSERT INTO acknowledged VALUES (-1)"))
                                .isInstanceOf(SQLException.class);
                    }
                    writer.stop();
                    cluster.awaitStreaming(FAILOVER);

                    assertThat(cluster.view().synchronousStandby().orElseThrow().name()).isEqualTo(former);
                    try (Connection db = cluster.connectTo(leader, database.name())) {
                        assertThat(writer.missingOn(db)).as("acknowledged commits missing on the new leader").isEmpty();
                        assertThat(query(db, "SELECT count(*)::text FROM acknowledged WHERE n = -1")).isEqualTo("0");
                    }
                }
                boolean rewound = cluster.log(former).stream().anyMatch(line -> line.contains("running pg_rewind"));
                System.out.printf("patroni [freeze]: leader frozen (SIGSTOP) → new leader accepting writes: %d ms"
                        + " (Patroni), first commit acknowledged to the writer: %d ms; the thawed leader rejoined%s%n",
                        patroni.toMillis(), client.toMillis(), rewound ? " after pg_rewind" : " without pg_rewind");
            }
        });
    }

    @Test
    void nothingOutlivesTheClusterWhenClosedOrWhenItsJvmIsKilled() {
        assertTimeoutPreemptively(BOUND, () -> {
            Path folder;
            List<Long> processes;
            List<String> segments;
            Set<Path> dynamic;
            try (PatroniCluster cluster = PatroniCluster.start()) {
                folder = folderOf(cluster);
                processes = processesNaming(folder);
                segments = sharedMemoryOf(folder);
                dynamic = dynamicSharedMemoryOf(folder);
                assertThat(processes).as("etcd, two Patroni, two postmasters").hasSizeGreaterThanOrEqualTo(5);
                assertThat(segments).hasSize(2).allSatisfy(id -> assertThat(sharedMemorySegments()).contains(id));
                assertThat(dynamic).isNotEmpty();
            }
            assertThat(folder).doesNotExist();
            processes.forEach(PatroniClusterIT::awaitEnded);
            assertThat(sharedMemorySegments()).as("the postmasters' System V segments").doesNotContainAnyElementsOf(segments);
            assertThat(dynamic).as("the servers' dynamic shared memory").allSatisfy(file -> assertThat(file).doesNotExist());

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    PatroniHolder.class.getName()).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
                String[] report = readReport(out);
                Path held = Path.of(report[1]);
                List<Long> heldProcesses = processesNaming(held);
                List<String> heldSegments = sharedMemoryOf(held);
                Set<Path> heldDynamic = dynamicSharedMemoryOf(held);
                assertThat(heldProcesses).hasSizeGreaterThanOrEqualTo(5);

                holder.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs in that JVM
                holder.waitFor(30, TimeUnit.SECONDS);

                awaitEnded(Long.parseLong(report[2]));
                heldProcesses.forEach(PatroniClusterIT::awaitEnded);
                assertThat(held).doesNotExist();
                assertThat(sharedMemorySegments()).as("the postmasters' System V segments").doesNotContainAnyElementsOf(heldSegments);
                assertThat(heldDynamic).as("the servers' dynamic shared memory").allSatisfy(file -> assertThat(file).doesNotExist());
            } finally {
                holder.destroyForcibly();
            }
        });
    }

    /** The cluster's folder, found from a member's own answer (its data folder's parent's parent). */
    static Path folderOf(PatroniCluster cluster) throws SQLException {
        try (Connection db = cluster.connectTo(cluster.leader(), "postgres")) {
            return Path.of(query(db, "SELECT current_setting('data_directory')")).getParent().getParent();
        }
    }

    /** etcd, Patroni and the postmasters name the folder on their command lines. */
    private static List<Long> processesNaming(Path folder) {
        String prefix = folder + "/";
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().filter(line -> line.contains(prefix)).isPresent())
                .map(ProcessHandle::pid).toList();
    }

    /** The System V segments the members' postmasters recorded (line 7 of postmaster.pid: key, then id). */
    private static List<String> sharedMemoryOf(Path folder) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String member : PatroniCluster.MEMBERS) {
            List<String> lines = Files.readAllLines(folder.resolve(member).resolve("data/postmaster.pid"));
            ids.add(lines.get(6).trim().split("\\s+")[1]);
        }
        return ids;
    }

    /** The dynamic shared memory segments (/dev/shm/PostgreSQL.*) the members' servers map now. */
    private static Set<Path> dynamicSharedMemoryOf(Path folder, String... members) throws IOException {
        Set<Path> segments = new TreeSet<>();
        for (String member : members.length > 0 ? List.of(members) : PatroniCluster.MEMBERS) {
            long postmaster = Long.parseLong(Files.readAllLines(folder.resolve(member).resolve("data/postmaster.pid"))
                    .getFirst().trim());
            List<Long> server = new ArrayList<>(ProcessSignals.children(postmaster));
            server.add(postmaster);
            segments.addAll(Postmaster.mappedSegments(server));
        }
        return segments;
    }

    /** The ids of the machine's System V shared memory segments now. */
    private static List<String> sharedMemorySegments() throws IOException {
        return Files.readAllLines(Path.of("/proc/sysvipc/shm")).stream().skip(1)
                .map(line -> line.trim().split("\\s+")[1]).toList();
    }

    private static String[] readReport(BufferedReader out) throws Exception {
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("PATRONI ")) {
                return line.split(" ");
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the holder JVM reported no cluster:\n" + seen);
    }

    private static void awaitEnded(long pid) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !ProcessSignals.running(pid));
    }

    private static void execute(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String query(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
