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

    ClientContainer startClient() {
        return startClient(base.toString());
    }

    /** The storm's client for the server at {@code url} (each caller's requests then routed to its instance). */
    static ClientContainer startClient(String url) {
        Map<String, String> properties = new HashMap<>();
        properties.put("jobstate/mp-rest/url", url.replaceFirst("/$", ""));
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
                        + " retried-attempts=%d unknown-outcome=%d faults=%d jobs=%d checker=%s%n",
                test, exchanges.size(), transitions.size(), transitions.stream().filter(e -> e.succeeded() && !e.replayed()).count(),
                transitions.stream().filter(e -> e.status() == 409).count(),
                transitions.stream().filter(Exchange::replayed).count(),
                exchanges.stream().filter(e -> e.status() == 0 || e.status() == 503).count() - tally.unknownOutcome.size(),
                tally.unknownOutcome.size(), faults, storm.jobs().size(),
                violations.isEmpty() ? "PASS" : "FAIL(" + violations.size() + ")");
        assertThat(violations.subList(0, Math.min(20, violations.size()))).as("checker violations (first 20 of "
                + violations.size() + ")").isEmpty();
        assertThat(transitions.size()).as("transition requests").isGreaterThanOrEqualTo(20_000);
    }
}
