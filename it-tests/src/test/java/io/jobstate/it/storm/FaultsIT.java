package io.jobstate.it.storm;

import static org.assertj.core.api.Assumptions.assumeThat;

import io.jobstate.client.testing.ClientContainer;
import io.jobstate.it.Deployments;
import io.jobstate.testing.postgres.PostgresServer;
import io.jobstate.testing.postgres.TestDatabase;
import io.jobstate.testing.postgres.ThrowawayPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Faults in the middle of a storm over two server instances: the database's sessions killed,
 * the database stopped and started again, one server killed with SIGKILL and started again. The
 * clients' retries carry every operation through; afterwards both instances are ready again
 * without help and the checker passes.
 */
class FaultsIT extends StormTest {

    /** Answers before a fault: the storm is well under way. */
    private static final int WARM_UP = 3_000;

    private static SecondLiberty second;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.jobstate("cas");
    }

    @Test
    void theServicesDatabaseSessionsAreKilledMidStorm(TestDatabase database) throws Exception {
        try (ClientContainer client = startClient();
             Storm.Running storm = Storm.start(client.coordinator(), PLAN, ports(), 11)) {
            int faults = 0;
            for (int round = 0; round < 3; round++) {
                awaitAnswers(exchange -> true, WARM_UP);
                terminateSessions(database);
                faults++;
            }
            Storm.Outcome outcome = storm.finish(STORM_TIMEOUT);

            awaitReady(second);
            checkAndReport("FaultsIT/pg_terminate_backend", database, outcome, HistoryChecker.Allowed.outage(false), faults);
        }
    }

    @Test
    void postgresIsStoppedAndStartedAgainMidStorm(TestDatabase database, PostgresServer server) throws Exception {
        assumeThat(server).as("stopping the database needs the tests' own server").isInstanceOf(ThrowawayPostgres.class);
        ThrowawayPostgres postgres = (ThrowawayPostgres) server;
        try (ClientContainer client = startClient();
             Storm.Running storm = Storm.start(client.coordinator(), PLAN, ports(), 13)) {
            awaitAnswers(exchange -> true, WARM_UP);
            try {
                postgres.stopFast();
                awaitAnswers(exchange -> exchange.status() == 503, 50);
            } finally {
                // whatever failed, the rest of the run needs its database back
                postgres.startAgain();
            }
            Storm.Outcome outcome = storm.finish(STORM_TIMEOUT);

            awaitReady(second);
            checkAndReport("FaultsIT/postgres-restart", database, outcome, HistoryChecker.Allowed.outage(false), 1);
        }
    }

    @Test
    void oneServerInstanceIsKilledMidStormAndStartedAgain(TestDatabase database) throws Exception {
        try (ClientContainer client = startClient();
             Storm.Running storm = Storm.start(client.coordinator(), PLAN, ports(), 17)) {
            awaitAnswers(exchange -> exchange.port() == second.port(), WARM_UP / 2);
            second.killHard();
            second.restart();
            Storm.Outcome outcome = storm.finish(STORM_TIMEOUT);

            awaitReady(second);
            checkAndReport("FaultsIT/liberty-sigkill", database, outcome, HistoryChecker.Allowed.outage(true), 1);
        }
    }

    @AfterAll
    static void stopSecondInstance() throws InterruptedException {
        if (second != null) {
            second.close();
        }
    }

    private List<Integer> ports() {
        if (second == null) {
            second = SecondLiberty.start(Deployments.jobstate("cas"));
        }
        return List.of(firstPort(), second.port());
    }

    /** What an operator's {@code pg_terminate_backend} does to every session of the service's database. */
    private static void terminateSessions(TestDatabase database) throws SQLException {
        try (Connection db = database.connect(); Statement statement = db.createStatement();
             ResultSet killed = statement.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                     + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            killed.next();
        }
    }
}
