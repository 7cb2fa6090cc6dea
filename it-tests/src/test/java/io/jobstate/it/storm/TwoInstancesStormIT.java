package io.jobstate.it.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.client.testing.ClientContainer;
import io.jobstate.it.Deployments;
import io.jobstate.it.Http;
import io.jobstate.testing.postgres.TestDatabase;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

class TwoInstancesStormIT extends StormTest {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.jobstate("cas");
    }

    @Test
    void callersSplitOverTwoServerInstancesOnOneDatabaseLeaveAConsistentHistoryAndFeed(TestDatabase database) throws Exception {
        try (SecondLiberty second = SecondLiberty.start(Deployments.jobstate("cas"));
             ClientContainer client = startClient();
             Connection db = database.connect();
             StormSubscribers subscribers = StormSubscribers.start(db, URI.create(base.toString()), secondBase(second));
             Storm.Running storm = Storm.start(client.coordinator(), PLAN, List.of(firstPort(), second.port()), 7)) {
            subscribers.dropAndResume(FAULT_WAIT);
            Storm.Outcome outcome = storm.finish(STORM_TIMEOUT);

            assertThat(ExchangeLog.exchanges()).extracting(Exchange::port).contains(firstPort(), second.port());
            checkAndReport(getClass().getSimpleName(), database, outcome, HistoryChecker.Allowed.nothingElse(), 0);
            List<String> violations = subscribers.check(db, FAULT_WAIT);
            List<Long> latencies = subscribers.latencies();
            // the summary shows each instance's own subscriber: the figure that fell behind before the shared tail
            List<Long> onFirst = subscribers.latencies("first-instance");
            List<Long> onSecond = subscribers.latencies("second-instance");
            System.out.printf("subscribers [%s]: subscribers=3 (one per instance, one dropped and resumed on the other)"
                            + " events-each=%d commit-to-subscriber-ms p50=%d p99=%d max=%d"
                            + " first-instance-p99=%d second-instance-p99=%d checker=%s%n",
                    getClass().getSimpleName(), subscribers.eventCount(), percentile(latencies, 50),
                    percentile(latencies, 99), latencies.getLast(), percentile(onFirst, 99), percentile(onSecond, 99),
                    violations.isEmpty() ? "PASS" : "FAIL(" + violations.size() + ")");
            for (String name : subscribers.names()) {
                List<Long> own = subscribers.latencies(name);
                System.out.printf("subscriber [%s]: events=%d commit-to-subscriber-ms p50=%d p99=%d max=%d%n", name, own.size(),
                        percentile(own, 50), percentile(own, 99), own.getLast());
            }
            // the instances compared on the same events, both arrivals on this JVM's clock: no commit, no database time in it
            List<Long> gaps = subscribers.arrivalGaps("second-instance", "first-instance");
            System.out.printf("subscribers [%s]: second-instance arrival minus first-instance arrival, same event, ms:"
                            + " p1=%d p50=%d p99=%d max=%d%n", getClass().getSimpleName(), percentile(gaps, 1),
                    percentile(gaps, 50), percentile(gaps, 99), gaps.getLast());
            printHandOverLag("first-instance", base);
            printHandOverLag("second-instance", secondBase(second).toURL());
            assertThat(violations).isEmpty();
            assertThat(subscribers.eventCount()).isGreaterThan(3000);
        }
    }

    /** The second instance's root: the first's, on the second's port. */
    private URI secondBase(SecondLiberty second) {
        return URI.create(base.toString().replace(":" + firstPort() + "/", ":" + second.port() + "/"));
    }

    /**
     * The instance's own part: from each event's database time to its hand-over to the instance's streams
     * ({@code jobstate_event_delivery_lag}: the feed learned of, read and queued, before any write to a client).
     * Mean over the instance's life; max over the registry's recent window.
     */
    private void printHandOverLag(String instance, URL server) {
        HttpResponse<String> metrics = Http.metrics(server);
        double count = Http.counter(metrics, "jobstate_event_delivery_lag_seconds_count");
        double sum = Http.counter(metrics, "jobstate_event_delivery_lag_seconds_sum");
        double max = Http.counter(metrics, "jobstate_event_delivery_lag_seconds_max");
        System.out.printf("server [%s] %s: commit-to-hand-over-ms events=%.0f mean=%.1f recent-max=%.0f%n",
                getClass().getSimpleName(), instance, count, count == 0 ? 0 : 1000 * sum / count, 1000 * max);
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * p / 100.0) - 1));
    }
}
