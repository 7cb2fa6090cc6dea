package io.jobstate.it.storm;

import io.jobstate.client.testing.ClientContainer;
import io.jobstate.it.Deployments;
import io.jobstate.testing.postgres.TestDatabase;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

class CasStormIT extends StormTest {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.jobstate("cas");
    }

    @Test
    void aStormOfLegalIllegalStaleAndReplayedRequestsLeavesAConsistentHistory(TestDatabase database) throws Exception {
        try (ClientContainer client = startClient();
             Storm.Running storm = Storm.start(client.coordinator(), PLAN, List.of(firstPort()), 42)) {
            Storm.Outcome outcome = storm.finish(STORM_TIMEOUT);

            checkAndReport(getClass().getSimpleName(), database, outcome, HistoryChecker.Allowed.nothingElse(), 0);
        }
    }
}
