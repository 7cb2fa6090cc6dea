package io.jobstate.it.storm;

import io.jobstate.client.testing.ClientContainer;
import io.jobstate.testing.postgres.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The storm on one server, run once per locking path by its subclasses (each deploys its path). */
abstract class LockingPathStorm extends StormTest {

    /** Which answers besides 200/201/409 this path may give under the storm. */
    abstract HistoryChecker.Allowed allowed();

    @Test
    void aStormOfLegalIllegalStaleAndReplayedRequestsLeavesAConsistentHistory(TestDatabase database) throws Exception {
        try (ClientContainer client = startClient();
             Storm.Running storm = Storm.start(client.coordinator(), PLAN, List.of(firstPort()), 42)) {
            Storm.Outcome outcome = storm.finish(STORM_TIMEOUT);

            checkAndReport(getClass().getSimpleName(), database, outcome, allowed(), 0);
        }
    }
}
