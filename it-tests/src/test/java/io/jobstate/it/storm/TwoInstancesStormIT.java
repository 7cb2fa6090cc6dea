package io.jobstate.it.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.client.testing.ClientContainer;
import io.jobstate.it.Deployments;
import io.jobstate.testing.postgres.TestDatabase;
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
    void callersSplitOverTwoServerInstancesOnOneDatabaseLeaveAConsistentHistory(TestDatabase database) throws Exception {
        try (SecondLiberty second = SecondLiberty.start(Deployments.jobstate("cas"));
             ClientContainer client = startClient();
             Storm.Running storm = Storm.start(client.coordinator(), PLAN, List.of(firstPort(), second.port()), 7)) {
            Storm.Outcome outcome = storm.finish(STORM_TIMEOUT);

            assertThat(ExchangeLog.exchanges()).extracting(Exchange::port).contains(firstPort(), second.port());
            checkAndReport(getClass().getSimpleName(), database, outcome, HistoryChecker.Allowed.nothingElse(), 0);
        }
    }
}
