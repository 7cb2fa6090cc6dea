package io.jobstate.it.storm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jobstate.client.coordinator.JobCoordinator;
import io.jobstate.client.testing.ClientContainer;
import io.jobstate.testing.postgres.FrozenMember;
import io.jobstate.testing.postgres.PatroniCluster;
import io.jobstate.testing.postgres.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * jobstate on Patroni (issue 28): two Liberty instances whose URL names both members
 * ({@code targetServerType=primary}, the options of docs/operations.md), the typed-client storm with
 * subscribers and leases, and mid-storm, one after the other, with Patroni doing every promotion:
 * <ol>
 *   <li><b>crash</b>: the leader's Patroni and PostgreSQL SIGKILLed (its machine lost);</li>
 *   <li><b>switchover</b>: a planned {@code POST /switchover} back to the first member;</li>
 *   <li><b>partition</b>: the leader's Patroni and PostgreSQL frozen (SIGSTOP), so that connections to
 *       it hang instead of resetting; thawed once both instances answer again on the new leader, while
 *       the storm still runs — Patroni then demotes it.</li>
 * </ol>
 * After each, on the leader: every 2xx transition is in the history exactly once by its
 * Idempotency-Key and nothing acknowledged is missing (zero acknowledged-then-lost, also from the
 * thawed former leader), job rows equal their last history row ({@link HistoryChecker}); the
 * subscribers hold exactly the gap-free feed ({@link StormSubscribers}); held leases are not reaped
 * and expired ones are reaped once; only the 503s of an absent database (or no answer) are seen; readiness goes DOWN and
 * back UP after a crash and a partition. Each instance's longest pause between two 2xx answers from
 * the disruption on is the gap an operator sees, printed and bounded (the goals of the issue are
 * 10 s for a crash and 2 s for a switchover; the bounds here leave room for a shared machine).
 *
 * <p>Skipped loudly without patroni, etcd, pg_basebackup or pg_rewind; with {@code CI=true} it fails
 * instead ({@code .ci/run} installs them).
 */
class PatroniFailoverIT {

    /** As FailoverIT's: three disruptions must fit in a few minutes on two busy cores. */
    private static final Storm.Plan PLAN = new Storm.Plan(16, 200, 100);
    private static final int WARM_UP = 500;
    private static final Duration CRASH_BOUND = Duration.ofSeconds(15);
    private static final Duration SWITCHOVER_BOUND = Duration.ofSeconds(6);
    private static final Duration PARTITION_BOUND = Duration.ofSeconds(25);
    private static final int HELD_LEASE_SECONDS = 1800;
    /**
     * The 503s of a database that is gone (DATABASE), hangs (DATABASE_TIMEOUT) or holds every connection
     * (POOL_WAIT); and LOCK_WAIT: while one write of a job hangs on a frozen leader for the network bound,
     * the job's other writes wait their turn for the lock bound only (docs/operations.md).
     */
    private static final Set<String> ABSENT_DATABASE = Set.of("DATABASE", "DATABASE_TIMEOUT", "POOL_WAIT", "LOCK_WAIT");
    /**
     * The URL options docs/operations.md recommends with Patroni; and a network bound (pgjdbc's socket
     * timeout) of 6 s (above the statement bound, 5 s, as the service requires), below the typed client's read timeout (8 s), so that a request stuck on a
     * frozen leader is answered 503 rather than abandoned by its caller.
     */
    static final String URL_OPTIONS = "&hostRecheckSeconds=1";
    private static final String NETWORK_TIMEOUT = "6s";

    @BeforeAll
    static void patroniAndEtcdArePresent() {
        List<String> missing = PatroniCluster.missingTools();
        if (!missing.isEmpty()) {
            String message = "PATRONI FAILOVER TESTS NOT RUN: " + missing + " missing. Install Debian's patroni and"
                    + " etcd-server (.ci/run does).";
            System.err.println("\n!!!!! " + message + "\n");
            assertThat(System.getenv("CI")).as(message).isNotEqualTo("true");
            Assumptions.abort(message);
        }
    }

    @Test
    void aCrashASwitchoverAndAPartitionMidStormLoseNothingAcknowledgedAndTheServiceFollowsTheLeader() throws Exception {
        try (PatroniCluster cluster = PatroniCluster.start();
             InstancePair instances = instancesOn(cluster);
             ClientContainer client = StormTest.startClient(instances.base(0).toString())) {
            cluster.awaitStreaming(PatroniCluster.FAILOVER_TIMEOUT);
            String first = cluster.leader();
            JobCoordinator coordinator = client.coordinator();

            Round crash = disrupt("crash", cluster, instances, coordinator, 37, true, () -> {
                cluster.kill(first);
                return () -> { };
            });
            crash.assertSound(CRASH_BOUND);
            cluster.startAgain(first);
            cluster.awaitStreaming(PatroniCluster.FAILOVER_TIMEOUT);

            Round switchover = disrupt("switchover", cluster, instances, coordinator, 41, false, () -> {
                cluster.switchover(first, PatroniCluster.FAILOVER_TIMEOUT);
                return () -> { };
            });
            switchover.assertSound(SWITCHOVER_BOUND);
            cluster.awaitStreaming(PatroniCluster.FAILOVER_TIMEOUT);

            AtomicReference<FrozenMember> frozen = new AtomicReference<>();
            try {
                Round partition = disrupt("partition", cluster, instances, coordinator, 43, true, () -> {
                    frozen.set(cluster.freeze(first));
                    return () -> frozen.get().thaw();
                });
                partition.assertSound(PARTITION_BOUND);
                assertThat(cluster.leader()).as("the thawed former leader does not lead again").isNotEqualTo(first);
            } finally {
                if (frozen.get() != null) {
                    frozen.get().close();
                }
            }
        }
    }

    /** A disruption: strikes, and returns what ends it once both instances answer again on the new leader. */
    @FunctionalInterface
    private interface Disruption {
        Runnable strike() throws Exception;
    }

    /** What one disruption left for the assertions. */
    private record Round(String name, List<String> violations, List<String> subscriberViolations,
                         List<String> leaseViolations, List<Duration> gaps, boolean readinessMustGoDown,
                         boolean readinessWentDown, long lost, int transitions) {

        void assertSound(Duration gapBound) {
            assertThat(violations.subList(0, Math.min(20, violations.size())))
                    .as(name + ": checker violations (first 20 of " + violations.size() + ")").isEmpty();
            assertThat(subscriberViolations).as(name + ": subscribers against the feed").isEmpty();
            assertThat(leaseViolations).as(name + ": leases across the switch").isEmpty();
            if (readinessMustGoDown) {
                assertThat(readinessWentDown).as(name + ": readiness DOWN on both instances during the gap").isTrue();
            }
            assertThat(gaps).as(name + ": longest pause between 2xx answers on each instance").hasSize(2)
                    .allSatisfy(gap -> assertThat(gap).isLessThan(gapBound));
            assertThat(lost).as(name + ": acknowledged transitions missing on the leader").isZero();
            assertThat(transitions).as(name + ": transition requests").isGreaterThan(PLAN.callers() * PLAN.operationsPerCaller());
        }
    }

    /**
     * One disruption mid-storm: subscribers and a storm start; leases are taken (two long, two that
     * expire during the switch); the disruption strikes; once each instance answered a 2xx again, what
     * ends the disruption runs (a thaw); the storm finishes; everything is read back from the leader.
     */
    private static Round disrupt(String name, PatroniCluster cluster, InstancePair instances, JobCoordinator coordinator,
                                 long seed, boolean readinessMustGoDown, Disruption disruption) throws Exception {
        String database = instances.database().name();
        List<UUID> held = FailoverChecks.leasedJobs(coordinator, 2, HELD_LEASE_SECONDS);
        StormSubscribers subscribers;
        try (Connection before = cluster.connect(database)) {
            subscribers = StormSubscribers.start(before, instances.base(0), instances.base(1));
        }
        try (subscribers; Storm.Running storm = Storm.start(coordinator, PLAN, instances.ports(), seed)) {
            StormTest.awaitAnswers(exchange -> true, WARM_UP);
            List<UUID> expiring = FailoverChecks.leasedJobs(coordinator, 2, 1);
            long struck = System.nanoTime();
            Runnable end = disruption.strike();
            boolean readinessWentDown = false;
            if (readinessMustGoDown) {
                readinessWentDown = FailoverChecks.awaitNotReady(instances, Duration.ofSeconds(30));
                // from the moment neither instance is ready, a 2xx on each says it follows the new leader
                List<CompletableFuture<Void>> answering = instances.ports().stream().map(port -> ExchangeLog.when(
                        exchange -> exchange.port() == port && exchange.succeeded(), 1)).toList();
                for (CompletableFuture<Void> back : answering) {
                    back.get(FailoverChecks.WAIT.toSeconds(), TimeUnit.SECONDS);
                }
            }
            end.run();
            Storm.Outcome outcome = storm.finish(StormTest.STORM_TIMEOUT);
            await().atMost(FailoverChecks.WAIT).pollInterval(Duration.ofMillis(250)).until(instances::ready);
            List<Exchange> exchanges = FailoverChecks.stormExchanges(expiring);
            List<Duration> gaps = instances.ports().stream().map(port -> longestPause(exchanges, port, struck)).toList();

            try (Connection db = cluster.connect(database)) {
                List<String> violations = HistoryChecker.check(db, outcome, exchanges,
                        new HistoryChecker.Allowed(ABSENT_DATABASE, true));
                List<String> subscriberViolations = subscribers.check(db, FailoverChecks.WAIT);
                List<String> leaseViolations = FailoverChecks.checkLeases(db, held, expiring);
                long lost = FailoverChecks.lost(db, outcome, exchanges);
                long transitions = exchanges.stream().filter(Exchange::transition).count();
                System.out.printf("patroni [%s]: requests=%d transitions=%d acknowledged=%d 503=%s unanswered=%d"
                                + " lost=%d gap-ms=%s readiness-down=%s events=%d checker=%s subscribers=%s leases=%s"
                                + " cluster=%s%n",
                        name, exchanges.size(), transitions, FailoverChecks.acknowledged(exchanges).size(),
                        unavailableByReason(exchanges), exchanges.stream().filter(e -> e.status() == 0).count(), lost,
                        gaps.stream().map(Duration::toMillis).toList(), readinessWentDown, subscribers.eventCount(),
                        FailoverChecks.verdict(violations), FailoverChecks.verdict(subscriberViolations),
                        FailoverChecks.verdict(leaseViolations), cluster.describe());
                leaseViolations.forEach(v -> System.out.println("patroni [" + name + "]: " + v));
                return new Round(name, violations, subscriberViolations, leaseViolations, gaps, readinessMustGoDown,
                        readinessWentDown, lost, (int) transitions);
            }
        }
    }

    private static Map<String, Long> unavailableByReason(List<Exchange> exchanges) {
        return exchanges.stream().filter(e -> e.status() == 503).collect(Collectors.groupingBy(
                e -> String.valueOf(e.unavailableReason()), TreeMap::new, Collectors.counting()));
    }

    /**
     * What a client of one instance waited for an acknowledgement: the longest time between two 2xx
     * answers of that instance from the disruption on (the first measured from the disruption itself).
     */
    static Duration longestPause(List<Exchange> exchanges, int port, long struck) {
        List<Long> answers = new ArrayList<>(exchanges.stream()
                .filter(e -> e.port() == port && e.succeeded() && e.answeredAt() >= struck)
                .map(Exchange::answeredAt).sorted(Comparator.naturalOrder()).toList());
        long previous = struck;
        long longest = 0;
        for (long answer : answers) {
            longest = Math.max(longest, answer - previous);
            previous = answer;
        }
        return Duration.ofNanos(longest);
    }

    /** Both instances on a new database of the cluster, owned by its migration role, through the service's URL. */
    private static InstancePair instancesOn(PatroniCluster cluster) throws Exception {
        TestDatabase database = cluster.createDatabase("patroni");
        return InstancePair.start(database, database.jdbcUrl() + URL_OPTIONS, "pa",
                Map.of("jobstate.db.network-timeout", NETWORK_TIMEOUT));
    }
}
