package io.jobstate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jobstate.client.auth.BearerToken;
import io.jobstate.client.events.EventStreams;
import io.jobstate.client.events.JobEvent;
import io.jobstate.client.events.Subscription;
import io.jobstate.client.testing.ClientContainer;
import io.jobstate.testing.postgres.TestDatabase;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * The server's {@code LISTEN} connection killed ({@code pg_terminate_backend}) while streams are open, and
 * kept dead for a while: the streams keep receiving, by polling, even events that another instance published
 * and that no announcement told of; the listener comes back on a new connection; no stream missed, repeated or
 * reordered an event. Real Liberty, real PostgreSQL.
 */
class ListenerOutageIT extends LibertyTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String LISTENERS = "SELECT pid FROM pg_stat_activity WHERE query = 'LISTEN jobstate_events'"
            + " AND pid <> pg_backend_pid()";

    /** The lease token of the run this test started on its own job. */
    private String lease;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.jobstate();
    }

    @Test
    void streamsGetEveryEventByPollingWhileTheListenConnectionIsDeadAndTheListenerComesBack(TestDatabase database)
            throws Exception {
        Http http = new Http(base);
        String ownJob = createdJob(http);
        UUID otherJob = UUID.fromString(createdJob(http));
        List<JobEvent> allJobs = new CopyOnWriteArrayList<>();
        List<JobEvent> oneJob = new CopyOnWriteArrayList<>();
        try (Connection db = database.connect();
             ClientContainer client = ClientContainer.start(Map.of(BearerToken.TOKEN, DevTokens.forRole("viewer")));
             EventStreams streams = EventStreams.at(URI.create(base.toString()))) {
            await().atMost(PATIENCE).until(() -> single(db, "SELECT count(*) FROM event_outbox") == 0);
            long head = single(db, "SELECT last_seq FROM event_feed");
            await().atMost(PATIENCE).until(() -> listening() && !pids(db).isEmpty());
            List<Integer> before = pids(db);
            try (Subscription all = streams.allJobs(head, allJobs::add);
                 Subscription job = streams.job(otherJob, head, oneJob::add)) {
                try (Outage outage = Outage.start(database)) {
                    await().atMost(PATIENCE).until(() -> outage.killed() >= 1);
                    // events this instance publishes itself, and events another instance published whose
                    // announcement never comes (numbered here, without NOTIFY): only polling finds those
                    transition(http, ownJob, "QUEUED");
                    publishedElsewhere(db, otherJob, 1);
                    transition(http, ownJob, "RUNNING");
                    publishedElsewhere(db, otherJob, 2);
                    long end = single(db, "SELECT last_seq FROM event_feed");
                    await().atMost(PATIENCE).until(() -> lastSeq(allJobs) >= end && lastSeq(oneJob) >= end);
                    // delivered while the line was still being cut: the fallback did it, not a reopened line
                    assertThat(outage.killed()).isGreaterThanOrEqualTo(1);
                    assertThat(outage.running()).isTrue();
                }
                // the listener comes back, on a new connection, and announcements reach the streams again
                await().atMost(PATIENCE).until(() -> listening() && !pids(db).isEmpty() && !before.containsAll(pids(db)));
                transition(http, ownJob, "COMPLETED");
                publishedElsewhere(db, otherJob, 3);
                long end = single(db, "SELECT last_seq FROM event_feed");
                await().atMost(PATIENCE).until(() -> lastSeq(allJobs) >= end && lastSeq(oneJob) >= end);

                assertThat(seqs(allJobs)).isEqualTo(feed(db, head, end, null));
                assertThat(seqs(oneJob)).isEqualTo(feed(db, head, end, otherJob)).hasSize(3);
            }
        }
    }

    /**
     * Another instance's transition and publish, as far as the feed shows them: an event of {@code job}
     * committed and numbered under the feed's lock, like the publisher does, but without its NOTIFY (as if
     * the announcement was lost). The versions are the test's own (far above the job's real ones).
     */
    private static void publishedElsewhere(Connection db, UUID job, int n) throws SQLException {
        db.setAutoCommit(false);
        try (PreparedStatement lock = db.prepareStatement("SELECT last_seq FROM event_feed FOR UPDATE");
             PreparedStatement insert = db.prepareStatement("INSERT INTO event_outbox (job_id, from_status, to_status, version, at)"
                     + " VALUES (?, 'PENDING', 'PENDING', ?, clock_timestamp())");
             PreparedStatement number = db.prepareStatement("""
                     WITH moved AS (
                         DELETE FROM event_outbox RETURNING outbox_id, job_id, from_status, to_status, version, at),
                     numbered AS (
                         INSERT INTO job_events (seq, outbox_id, job_id, from_status, to_status, version, at)
                         SELECT f.last_seq + row_number() OVER (ORDER BY m.outbox_id), m.outbox_id, m.job_id,
                                m.from_status, m.to_status, m.version, m.at
                         FROM moved m, event_feed f RETURNING seq)
                     UPDATE event_feed SET last_seq = last_seq + (SELECT count(*) FROM numbered)""")) {
            lock.execute();
            insert.setObject(1, job);
            insert.setLong(2, 1000 + n);
            insert.execute();
            number.execute();
            db.commit();
        } finally {
            db.setAutoCommit(true);
        }
    }

    private boolean listening() {
        return Http.counter(Http.metrics(base), "jobstate_event_listening") == 1;
    }

    private static List<Integer> pids(Connection db) throws SQLException {
        List<Integer> pids = new ArrayList<>();
        try (PreparedStatement statement = db.prepareStatement(LISTENERS); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                pids.add(rows.getInt(1));
            }
        }
        return pids;
    }

    private static List<Long> feed(Connection db, long after, long end, UUID job) throws SQLException {
        List<Long> seqs = new ArrayList<>();
        try (PreparedStatement statement = db.prepareStatement("SELECT seq FROM job_events WHERE seq > ? AND seq <= ?"
                + (job == null ? "" : " AND job_id = ?") + " ORDER BY seq")) {
            statement.setLong(1, after);
            statement.setLong(2, end);
            if (job != null) {
                statement.setObject(3, job);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    seqs.add(rows.getLong(1));
                }
            }
        }
        return seqs;
    }

    private static List<Long> seqs(List<JobEvent> events) {
        return events.stream().map(JobEvent::seq).toList();
    }

    private static long lastSeq(List<JobEvent> events) {
        return events.isEmpty() ? -1 : events.getLast().seq();
    }

    private static long single(Connection db, String sql) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql); ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String createdJob(Http http) {
        HttpResponse<String> created = http.send(http.request("jobs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"listener-outage-it\"}")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Json.createReader(new StringReader(created.body())).readObject().getString("id");
    }

    /** As the job's worker: with the lease token of the run this test started, if any. */
    private void transition(Http http, String job, String to) {
        HttpRequest.Builder request = http.request("jobs/" + job + "/transitions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"" + to + "\"}"));
        HttpResponse<String> moved = http.send(lease == null ? request : request.header("Lease-Token", lease));
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        JsonObject answer = Json.createReader(new StringReader(moved.body())).readObject();
        lease = answer.isNull("leaseToken") ? null : answer.getString("leaseToken");
    }

    /**
     * The fault: every 20 ms, whatever {@code LISTEN} connection the server has is terminated, until closed.
     * The period is the fault's shape (a reopened line lives at most that long), not a wait for anything.
     */
    private static final class Outage implements AutoCloseable {

        private final Connection killer;
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final AtomicInteger killed = new AtomicInteger();
        private volatile RuntimeException failure;

        private Outage(Connection killer) {
            this.killer = killer;
        }

        static Outage start(TestDatabase database) throws SQLException {
            Outage outage = new Outage(database.connect());
            outage.timer.scheduleWithFixedDelay(outage::killListeners, 0, 20, TimeUnit.MILLISECONDS);
            return outage;
        }

        private void killListeners() {
            try (PreparedStatement statement = killer.prepareStatement(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM (" + LISTENERS + ") l");
                 ResultSet rows = statement.executeQuery()) {
                rows.next();
                killed.addAndGet(rows.getInt(1));
            } catch (SQLException | RuntimeException e) {
                failure = new IllegalStateException("the outage could not kill the listener", e);
                throw failure;
            }
        }

        int killed() {
            if (failure != null) {
                throw failure;
            }
            return killed.get();
        }

        boolean running() {
            return failure == null && !timer.isShutdown();
        }

        @Override
        public void close() throws Exception {
            timer.shutdownNow();
            try {
                if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the outage did not stop");
                }
            } finally {
                killer.close();
            }
        }
    }
}
