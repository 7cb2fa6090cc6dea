package io.jobstate.it.storm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jobstate.client.auth.BearerToken;
import io.jobstate.client.testing.ClientContainer;
import io.jobstate.it.DevTokens;
import io.jobstate.it.Http;
import io.jobstate.it.LibertyTest;
import io.jobstate.testing.postgres.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Base of the storm tests: a typed client configured as a coordinator would configure it for a
 * service that may be restarted under it (generous retries), the storm, and the checker, with one
 * summary line per test.
 */
abstract class StormTest extends LibertyTest {

    /** 32 callers x 650 operations: at least 20,800 transition requests over 200 live jobs. */
    static final Storm.Plan PLAN = new Storm.Plan(32, 650, 200);
    static final Duration STORM_TIMEOUT = Duration.ofMinutes(6);
    static final Duration FAULT_WAIT = Duration.ofMinutes(2);
    /**
     * How long the storms on a database that answers or refuses (never one that hangs) wait for an
     * answer. A slow answer on a loaded machine (a cold second instance, a shared CI host) must stay
     * an answer there, since these storms count every attempt without one as lost; the summary
     * shows the slowest answer. The failover storms keep the client's own 8 s, which a connection
     * hung by a partition needs.
     */
    static final Duration PATIENT_READ = Duration.ofSeconds(30);

    ClientContainer startClient() {
        return startClient(base.toString(), PATIENT_READ);
    }

    /** The storm's client for the server at {@code url} with the client's default read timeout (8 s). */
    static ClientContainer startClient(String url) {
        return startClient(url, null);
    }

    /**
     * The storm's client for the server at {@code url} (each caller's requests then routed to its
     * instance); {@code readTimeout} null keeps the client's default.
     */
    static ClientContainer startClient(String url, Duration readTimeout) {
        ExchangeLog.recordFailures();
        Map<String, String> properties = new HashMap<>();
        properties.put("jobstate/mp-rest/url", url.replaceFirst("/$", ""));
        if (readTimeout != null) {
            properties.put("jobstate/mp-rest/readTimeout", String.valueOf(readTimeout.toMillis()));
            // an attempt's own bound stays above the read, as in the client's defaults (10 s over 8 s)
            properties.put(ClientContainer.ATTEMPTS + "Timeout/value", String.valueOf(readTimeout.plusSeconds(5).toMillis()));
        }
        properties.put("jobstate/mp-rest/providers", InstanceRouter.class.getName() + "," + ExchangeLog.class.getName());
        properties.put(BearerToken.TOKEN, DevTokens.forRole("coordinator"));
        // outlive a server restart: up to two minutes of retries, at most a second apart
        properties.put("jobstate.client.retry.delay", "PT0.05S");
        properties.put(ClientContainer.RETRIES + "Retry/maxRetries", "300");
        properties.put(ClientContainer.RETRIES + "Retry/maxDuration", "120000");
        properties.put("jobstate.client.retry.max-delay", "PT1S");
        // one breaker for callers spread over two instances would stop the healthy one's callers too
        properties.put(ClientContainer.ATTEMPTS + "CircuitBreaker/enabled", "false");
        return ClientContainer.start(properties);
    }

    int firstPort() {
        return base.getPort();
    }

    /** Waits until a storm has had {@code count} answers that match, or fails after {@link #FAULT_WAIT}. */
    static void awaitAnswers(Predicate<Exchange> matches, long count) throws Exception {
        ExchangeLog.when(matches, count).get(FAULT_WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Every instance answers its readiness check again (the service recovered without help). */
    void awaitReady(SecondLiberty... others) {
        await().atMost(FAULT_WAIT).pollInterval(Duration.ofMillis(250)).until(() ->
                Http.getFromServer(base, "/health/ready").statusCode() == 200
                        && java.util.Arrays.stream(others).allMatch(SecondLiberty::ready));
    }

    /** Runs the checker, prints the test's summary line, and fails on any violation. */
    static void checkAndReport(String test, TestDatabase database, Storm.Outcome storm, HistoryChecker.Allowed allowed,
                               int faults) throws Exception {
        List<Exchange> exchanges = ExchangeLog.exchanges();
        List<String> violations;
        try (Connection db = database.connect()) {
            violations = HistoryChecker.check(db, storm, exchanges, allowed);
        }
        List<Exchange> transitions = exchanges.stream().filter(Exchange::transition).toList();
        Tally tally = storm.tally();
        System.out.printf("storm [%s]: requests=%d transitions=%d applied=%d conflicts=%d replays=%d"
                        + " retried-attempts=%d unknown-outcome=%d faults=%d jobs=%d slowest-answer-ms=%d unanswered=%s checker=%s%n",
                test, exchanges.size(), transitions.size(), transitions.stream().filter(e -> e.succeeded() && !e.replayed()).count(),
                transitions.stream().filter(e -> e.status() == 409).count(),
                transitions.stream().filter(Exchange::replayed).count(),
                exchanges.stream().filter(e -> e.status() == 0 || e.status() == 503).count() - tally.unknownOutcome.size(),
                tally.unknownOutcome.size(), faults, storm.jobs().size(),
                exchanges.stream().mapToLong(Exchange::answerMillis).max().orElse(-1), unansweredByCause(exchanges),
                violations.isEmpty() ? "PASS" : "FAIL(" + violations.size() + ")");
        assertThat(violations.subList(0, Math.min(20, violations.size()))).as("checker violations (first 20 of "
                + violations.size() + ")").isEmpty();
        assertThat(transitions.size()).as("transition requests").isGreaterThanOrEqualTo(20_000);
    }

    /** The attempts without an answer by their root cause (e.g. {@code SocketTimeoutException}, {@code ConnectException}). */
    private static Map<String, Long> unansweredByCause(List<Exchange> exchanges) {
        return exchanges.stream().filter(exchange -> exchange.status() == 0).collect(java.util.stream.Collectors.groupingBy(
                exchange -> exchange.failure() == null ? "unknown"
                        : exchange.failure().substring(exchange.failure().lastIndexOf(" <- ") + 1).replaceAll("^<- |:.*", ""),
                java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }
}
