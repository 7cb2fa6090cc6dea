package io.jobstate.it.storm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jobstate.client.coordinator.JobCoordinator;
import io.jobstate.client.testing.ClientContainer;
import io.jobstate.testing.postgres.PostgresSettings;
import io.jobstate.testing.postgres.ReplicatedPostgres;
import io.jobstate.testing.postgres.ReplicatedPostgres.Replication;
import io.jobstate.testing.postgres.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL failover under a storm: two Liberty instances whose JDBC URL names a primary and its
 * standby ({@code targetServerType=primary}), the typed-client storm with subscribers, and mid-storm
 * the primary's machine lost (postmaster and backends SIGKILLed) and the standby promoted.
 *
 * <p>With a synchronous standby, checked on the new primary after each of two failovers (the second
 * back to the first node, re-attached with pg_rewind): every 2xx transition is in the history exactly
 * once by its Idempotency-Key, job rows equal their last history row, re-sends with the same key
 * replay and never re-apply ({@link HistoryChecker}); the feed continues gap-free and the subscribers
 * hold exactly it ({@link StormSubscribers}); leases held across the switch are not reaped and an
 * expired one is reaped exactly once; only 503 DATABASE or no answer is seen; readiness goes DOWN
 * during the gap and UP after; the gap from the promotion to the first 2xx on each instance is
 * measured and bounded.
 *
 * <p>With an asynchronous standby the same failover is run and the number of acknowledged
 * transitions lost is reported, not asserted (docs/operations.md, "Running with high availability").
 *
 * <p>Not an Arquillian test: both instances are {@link SecondLiberty} servers made from the
 * Arquillian server's configuration, pointed at the pair. Needs pg_basebackup and pg_rewind next to
 * the PostgreSQL binaries: skipped without them, except on CI ({@code CI=true}), where it fails.
 */
class FailoverIT {

    /** Smaller than the other storms: two failovers must fit in a few minutes on two busy cores. */
    private static final Storm.Plan PLAN = new Storm.Plan(16, 200, 100);
    /** Answers before the primary dies: the storm is well under way. */
    private static final int WARM_UP = 500;
    /** Transitions acknowledged while the asynchronous standby's stream stalls, before the kill. */
    private static final int ASYNC_LAG = 100;
    /** The bound the issue sets for promotion → first 2xx on each instance. */
    private static final Duration GAP_BOUND = Duration.ofSeconds(3);
    private static final Duration WAIT = FailoverChecks.WAIT;
    /** Far longer than a round: a lease held across the switch is never due during the test. */
    private static final int HELD_LEASE_SECONDS = 1800;
    /**
     * The service's URL options (docs/operations.md): both hosts, the primary only; a dead host's
     * connect attempt given up after 2 s; a host's role re-checked after 1 s, not pgjdbc's default 10 s,
     * so the promoted standby, seen as a standby just before, is tried again at once.
     */
    /** What docs/operations.md adds to a multi-host URL (the connect, login and network bounds are the server's settings). */
    static final String URL_OPTIONS = "&hostRecheckSeconds=1";

    @BeforeAll
    static void replicationToolsArePresent() {
        List<String> missing = ReplicatedPostgres.missingTools();
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(missing.isEmpty(), "a replicated pair needs " + missing + " (skipped; CI fails instead)");
        }
        assertThat(missing).as("pg_basebackup and pg_rewind next to the PostgreSQL binaries").isEmpty();
    }

    @Test
    void aSynchronousStandbyTakesOverTwiceMidStormAndNothingAcknowledgedIsLostThenAnAsynchronousOneIsMeasured()
            throws Exception {
        try (ReplicatedPostgres pair = ReplicatedPostgres.start(PostgresSettings.forTests(), Replication.SYNCHRONOUS);
             InstancePair instances = instancesOn(pair);
             ClientContainer client = StormTest.startClient(instances.base(0).toString())) {
            Round first = failOver("sync", pair, instances, client.coordinator(), 19, false);
            first.assertSound();

            pair.reattachFormerPrimary(Replication.SYNCHRONOUS);
            Round back = failOver("sync-failback", pair, instances, client.coordinator(), 23, false);
            back.assertSound();
            assertThat(pair.describe()).startsWith("primary a ");

            // the same once more with an asynchronous standby whose stream stalls before the kill, as a
            // lagging standby's would: reported, not asserted — the loss depends on the lag at the kill
            pair.reattachFormerPrimary(Replication.ASYNCHRONOUS);
            Round async = failOver("async", pair, instances, client.coordinator(), 29, true);
            System.out.printf("failover [async]: acknowledged-transitions-lost=%d of %d acknowledged (WAL stream stalled"
                    + " for the last %d acknowledged answers before the kill); checker=%s%n", async.lost(),
                    async.acknowledged(), ASYNC_LAG, FailoverChecks.verdict(async.violations()));
            assertThat(async.gaps()).as("the service came back on the new primary by itself").hasSize(2);
        }
    }

    /** What one failover left for the assertions. */
    private record Round(String name, List<String> violations, List<String> subscriberViolations,
                         List<String> leaseViolations, List<Duration> gaps, boolean readinessWentDown,
                         long acknowledged, long lost, int transitions) {

        void assertSound() {
            assertThat(violations.subList(0, Math.min(20, violations.size())))
                    .as(name + ": checker violations (first 20 of " + violations.size() + ")").isEmpty();
            assertThat(subscriberViolations).as(name + ": subscribers against the feed").isEmpty();
            assertThat(leaseViolations).as(name + ": leases across the switch").isEmpty();
            assertThat(readinessWentDown).as(name + ": readiness DOWN on both instances during the gap").isTrue();
            assertThat(gaps).as(name + ": promotion to first 2xx on each instance").allSatisfy(gap ->
                    assertThat(gap).isLessThan(GAP_BOUND));
            assertThat(lost).as(name + ": acknowledged transitions missing on the new primary").isZero();
            assertThat(transitions).as(name + ": transition requests").isGreaterThan(PLAN.callers() * PLAN.operationsPerCaller());
        }
    }

    /**
     * One failover mid-storm: subscribers and a storm start; leases are taken (two long, two that
     * expire during the switch); the primary dies; once both instances report not ready, the standby is
     * promoted; the storm finishes; everything is read back from the new primary.
     */
    private static Round failOver(String name, ReplicatedPostgres pair, InstancePair instances, JobCoordinator coordinator,
                                  long seed, boolean stallFirst) throws Exception {
        String database = instances.database().name();
        List<UUID> held = FailoverChecks.leasedJobs(coordinator, 2, HELD_LEASE_SECONDS);
        Storm.Outcome outcome;
        List<Duration> gaps = new ArrayList<>();
        boolean readinessWentDown;
        List<UUID> expiring;
        StormSubscribers subscribers;
        try (Connection before = pair.connectToPrimary(database)) {
            subscribers = StormSubscribers.start(before, instances.base(0), instances.base(1));
        }
        try (subscribers; Storm.Running storm = Storm.start(coordinator, PLAN, instances.ports(), seed)) {
            StormTest.awaitAnswers(exchange -> true, WARM_UP);
            expiring = FailoverChecks.leasedJobs(coordinator, 2, 1);

            if (stallFirst) {
                try (ReplicatedPostgres.Stall stall = pair.stallReplication()) {
                    StormTest.awaitAnswers(exchange -> exchange.transition() && exchange.succeeded(), ASYNC_LAG);
                    pair.killPrimary();
                }
            } else {
                pair.killPrimary();
            }
            readinessWentDown = FailoverChecks.awaitNotReady(instances, Duration.ofSeconds(30));
            List<CompletableFuture<Long>> firstSuccess = instances.ports().stream().map(port ->
                    ExchangeLog.when(exchange -> exchange.port() == port && exchange.succeeded(), 1)
                            .thenApply(done -> System.nanoTime())).toList();
            long promoted = System.nanoTime();
            pair.promoteStandby();
            for (CompletableFuture<Long> success : firstSuccess) {
                gaps.add(Duration.ofNanos(success.get(WAIT.toSeconds(), TimeUnit.SECONDS) - promoted));
            }
            String aborted = null;
            try {
                outcome = storm.finish(StormTest.STORM_TIMEOUT);
            } catch (Exception e) {
                if (!stallFirst) {
                    throw e;
                }
                // a lagging standby may lose a job's creation: its caller's next transition is a 404
                aborted = String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
                outcome = new Storm.Outcome(FailoverChecks.jobsIn(ExchangeLog.exchanges()), new Tally());
            }
            await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(instances::ready);

            try (Connection db = pair.connectToPrimary(database)) {
                List<Exchange> exchanges = FailoverChecks.stormExchanges(expiring);
                List<String> violations = new ArrayList<>(HistoryChecker.check(db, outcome, exchanges,
                        new HistoryChecker.Allowed(Set.of("DATABASE"), true)));
                if (aborted != null) {
                    violations.add(0, "the storm stopped: " + aborted);
                    System.out.println("failover [" + name + "]: the storm stopped: " + aborted);
                }
                List<String> subscriberViolations = subscribers.check(db, WAIT);
                List<String> leaseViolations = FailoverChecks.checkLeases(db, held, expiring);
                long acknowledged = FailoverChecks.acknowledged(exchanges).size();
                long lost = FailoverChecks.lost(db, outcome, exchanges);
                long transitions = exchanges.stream().filter(Exchange::transition).count();
                System.out.printf("failover [%s]: requests=%d transitions=%d acknowledged=%d replays=%d 503-database=%d"
                                + " unanswered=%d lost=%d gap-ms=%s readiness-down=%s events=%d checker=%s subscribers=%s"
                                + " leases=%s%n",
                        name, exchanges.size(), transitions, acknowledged,
                        exchanges.stream().filter(e -> e.transition() && e.succeeded() && e.replayed()).count(),
                        exchanges.stream().filter(e -> e.status() == 503).count(),
                        exchanges.stream().filter(e -> e.status() == 0).count(), lost,
                        gaps.stream().map(Duration::toMillis).toList(), readinessWentDown, subscribers.eventCount(),
                        FailoverChecks.verdict(violations), FailoverChecks.verdict(subscriberViolations), FailoverChecks.verdict(leaseViolations));
                leaseViolations.forEach(v -> System.out.println("failover [" + name + "]: " + v));
                return new Round(name, violations, subscriberViolations, leaseViolations, gaps, readinessWentDown,
                        acknowledged, lost, (int) transitions);
            }
        }
    }

    /** Both instances on a new database of the pair, through the service's URL. */
    private static InstancePair instancesOn(ReplicatedPostgres pair) throws Exception {
        TestDatabase database = pair.createDatabase("failover");
        return InstancePair.start(database, database.jdbcUrl() + URL_OPTIONS, "fo");
    }
}
