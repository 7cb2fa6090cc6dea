package io.jobstate.it.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.client.testing.ClientContainer;
import io.jobstate.it.Deployments;
import io.jobstate.testing.postgres.TestDatabase;
import java.net.URI;
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
             StormSubscribers subscribers = StormSubscribers.start(db, URI.create(base.toString()),
                     URI.create(base.toString().replace(":" + firstPort() + "/", ":" + second.port() + "/")));
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
            assertThat(violations).isEmpty();
            assertThat(subscribers.eventCount()).isGreaterThan(3000);
        }
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * p / 100.0) - 1));
    }
}
